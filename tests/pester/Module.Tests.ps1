BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

BeforeDiscovery {
    $cmdlets = (Import-Module (Join-Path $PSScriptRoot '../../out/Arq/Arq.psd1') -PassThru).ExportedCmdlets.Keys
}

Describe 'The Arq module' {
    It 'has a clean manifest that exports its cmdlets explicitly' {
        $manifest = Test-ModuleManifest $modulePath

        $manifest.ExportedCmdlets.Keys | Should -Contain 'Submit-ArqJob'
        $manifest.ExportedCmdlets.Count | Should -Be 16
        $manifest.CompatiblePSEditions | Should -Be 'Core'
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.ExportedFormatFiles | Should -HaveCount 1
    }

    It 'has about_Arq help that points to the guides' {
        $about = Get-Help about_Arq | Out-String
        $about | Should -BeLike '*docs/worker.md*'
        $about | Should -BeLike '*docs/protocol.md*'
    }

    It 'names every cmdlet in the changelog of the version it builds' {
        $changelog = Get-Content (Join-Path $repositoryRoot 'CHANGELOG.md') -Raw
        foreach ($cmdlet in (Test-ModuleManifest $modulePath).ExportedCmdlets.Keys) { $changelog | Should -BeLike "*$cmdlet*" }
    }

    It 'gives <_> full help: synopsis, description, every parameter described, examples that say what they do' -ForEach $cmdlets {
        $help = Get-Help $_ -Full

        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "*$_ *[<]*" # not the generated syntax line PowerShell shows without help
        $help.description.Text | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterThan 0
        foreach ($example in $help.examples.example) {
            ($example.remarks.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "the example '$($example.code)' needs a sentence saying what it does"
        }
        foreach ($parameter in $help.parameters.parameter) { $parameter.description.Text | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) needs a description" }
    }

    It 'works in a session that already loaded other versions of StackExchange.Redis and MessagePack' {
        $db = New-TestDatabase
        try {
            $oldRedis = Join-Path $packagesPath 'stackexchange.redis/2.8.16/lib/net6.0/StackExchange.Redis.dll'
            $oldMessagePack = Join-Path $packagesPath 'messagepack/2.2.85/lib/netcoreapp2.1/MessagePack.dll'

            $out = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$oldRedis'
Add-Type -Path '$oldMessagePack'
Import-Module '$modulePath'
`$job = Submit-ArqJob -Redis '$($db.ConnectionString)' -Function add -ArgumentList 1, 2
(Get-ArqJob -Redis '$($db.ConnectionString)' -Id `$job.Id).Status
[StackExchange.Redis.ConnectionMultiplexer].Assembly.GetName().Version.ToString(2)
[MessagePack.MessagePackSerializer].Assembly.GetName().Version.ToString(2)
"@

            $out | Should -Be @('Queued', '2.0', '2.2') # theirs stay loaded: SE.Redis 2.x, MessagePack 2.2; ours are 3.x and 2.5
            $db.Command('ZCARD', 'arq:queue') | Should -Be '1'
        }
        finally { $db.Dispose() }
    }

    It 'completes -Queue and -Function from what Redis holds' {
        $db = New-TestDatabase
        try {
            Submit-ArqJob -Redis $db.ConnectionString -Function Reports.Monthly -Queue reports | Out-Null

            $line = "Get-ArqQueue -Redis '$($db.ConnectionString)' -Queue rep"
            $queues = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            $line = "Submit-ArqJob -Redis '$($db.ConnectionString)' -Function Rep"
            $functions = TabExpansion2 -inputScript $line -cursorColumn $line.Length

            $queues.CompletionMatches.CompletionText | Should -Be 'reports'
            $functions.CompletionMatches.CompletionText | Should -Be 'Reports.Monthly'
        }
        finally { $db.Dispose() }
    }

    It 'leaves no assembly resolver behind when removed, and imports again' {
        $actors = Join-Path $PSScriptRoot 'actors/actors.ps1'
        $out = Invoke-ChildPwsh @"
# The default load context's resolvers, read from its private field: there is no public way to count them.
`$handlers = { [System.Runtime.Loader.AssemblyLoadContext].GetField('_resolving', [System.Reflection.BindingFlags] 'NonPublic, Instance').GetValue([System.Runtime.Loader.AssemblyLoadContext]::Default)?.GetInvocationList().Count ?? 0 }
`$before = & `$handlers
Import-Module '$modulePath'
`$imported = & `$handlers
Remove-Module Arq
`$removed = & `$handlers
Import-Module '$modulePath'
"{0} {1} {2} {3}" -f `$before, `$imported, `$removed, (Invoke-ArqJob '$actors' Square 7)
"@
        $before, $imported, $removed, $square = ($out | Select-Object -Last 1) -split ' '

        [int]$imported | Should -Be ([int]$before + 1)
        [int]$removed | Should -Be ([int]$before)
        $square | Should -Be 49
    }

    It 'closes its connections when removed' {
        $server = [Arq.Tests.RedisTestServer]::Shared
        $out = Invoke-ChildPwsh @"
`$env:ARQ_TEST_REDIS = '$($server.ConnectionString)'
Add-Type -Path '$fixturePath'
function Count-Clients { ([Arq.Tests.RedisTestServer]::Shared.Command('CLIENT', 'LIST') -split "``n" | Where-Object { `$_ -match 'cmd=' }).Count }
`$before = Count-Clients
Import-Module '$modulePath'
Submit-ArqJob -Redis '$($server.ConnectionString),defaultDatabase=1' -Function add | Out-Null
`$connected = Count-Clients
Remove-Module Arq
`$deadline = [DateTime]::UtcNow.AddSeconds(10)
while ((Count-Clients) -gt `$before -and [DateTime]::UtcNow -lt `$deadline) { Start-Sleep -Milliseconds 20 }
"{0} {1} {2}" -f `$before, `$connected, (Count-Clients)
"@
        $before, $connected, $after = ($out | Select-Object -Last 1) -split ' '

        [int]$connected | Should -BeGreaterThan ([int]$before)
        [int]$after | Should -Be ([int]$before)
    }
}
