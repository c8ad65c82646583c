BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Connect-ArqRedis' {
    BeforeEach { $db = New-TestDatabase }
    AfterEach { $db.Dispose() }

    It 'makes its connection the default of the session''s cmdlets' {
        $connection = Connect-ArqRedis $db.Url

        $job = Submit-ArqJob -Function add -ArgumentList 1

        $connection.Endpoint | Should -Be ([Arq.Tests.RedisTestServer]::Shared.ConnectionString)
        $connection.Database | Should -Be $db.Number
        $db.Command('ZCARD', 'arq:queue') | Should -Be '1'
        (Get-ArqJob -Id $job.Id).Status | Should -Be 'Queued'
    }

    It 'fails at once naming the endpoint, never the password' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()

        $problem = { Connect-ArqRedis "redis://:hunter2-secret@127.0.0.1:$port" } | Should -Throw -PassThru

        $problem.FullyQualifiedErrorId | Should -BeLike 'RedisUnreachable*'
        $problem.Exception.Message | Should -BeLike "*127.0.0.1:$port*"
        # The exception and its details never hold the password (the user's own command line, echoed, may).
        $problem.Exception.ToString() | Should -Not -BeLike '*hunter2-secret*'
        "$($problem.ErrorDetails)" | Should -Not -BeLike '*hunter2-secret*'
    }
}
