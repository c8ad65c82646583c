BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $actors = Join-Path $PSScriptRoot 'actors/actors.ps1'
}

Describe 'Invoke-ArqJob' {
    It 'runs a class method and functions in this session, arguments and results through the wire encoding' {
        Invoke-ArqJob -Path $actors -Function Greeter.Hello -ArgumentList ann | Should -Be 'Hello ann'
        Invoke-ArqJob $actors Greeter.Hello -Parameters @{ name = 'bob' } | Should -Be 'Hello bob'
        Invoke-ArqJob $actors add 2, 3 | Should -Be 5
        $many = Invoke-ArqJob $actors Many
        $many[0..1] | Should -Be @(1, 'two')
        $many[2].three | Should -Be 3
    }

    It 'throws a job''s error to the test, and names the functions when one is unknown' {
        { Invoke-ArqJob $actors Boom } | Should -Throw '*no such report*'
        { Invoke-ArqJob $actors Nope } | Should -Throw '*has no job function ''Nope''; it has: *Greeter.Hello*'
        { Invoke-ArqJob $actors add { 'code' }, 1 } | Should -Throw '*ScriptBlock, which a job cannot carry*'
    }

    It 'lets Pester mock what the job calls, and gives the job its $ArqContext' {
        $script = Join-Path $TestDrive 'weather.ps1'
        Set-Content $script @'
function Get-Weather([string] $City) {
    $report = Invoke-RestMethod "https://weather.example/$City"
    "$($ArqContext.Function) for ${City}: $($report.sky)"
}
'@
        Mock Invoke-RestMethod { [pscustomobject]@{ sky = 'sunny' } }

        Invoke-ArqJob $script Get-Weather -ArgumentList Oslo | Should -Be 'Get-Weather for Oslo: sunny'
        Should -Invoke Invoke-RestMethod -Times 1 -Exactly -ParameterFilter { $Uri -eq 'https://weather.example/Oslo' }
    }
}
