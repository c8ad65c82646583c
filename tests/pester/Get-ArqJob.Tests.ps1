BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Get-ArqJob' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
    }
    AfterEach { $db.Dispose() }

    It 'reads jobs piped from Submit-ArqJob' {
        $job = Submit-ArqJob -Redis $redis -Function add -ArgumentList 1, 2 -Queue arq:other | Get-ArqJob -Redis $redis

        $job.Status | Should -Be 'Queued'
        $job.Queue | Should -Be 'arq:other'
    }

    It 'reports an unknown id as NotFound' {
        (Get-ArqJob -Redis $redis -Id nothing-here).Status | Should -Be 'NotFound'
    }
}
