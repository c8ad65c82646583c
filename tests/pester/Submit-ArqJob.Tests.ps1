BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Submit-ArqJob' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
    }
    AfterEach { $db.Dispose() }

    It 'enqueues a job on arq:queue and emits it as queued' {
        $job = Submit-ArqJob -Redis $redis -Function add -ArgumentList 1, 2

        $job.Id | Should -Match '^[0-9a-f]{32}$'
        $job.Status | Should -Be 'Queued'
        $job.Function | Should -Be 'add'
        $job.ArgumentList | Should -Be @(1, 2)
        $db.Command('ZCARD', 'arq:queue') | Should -Be '1'
        $db.Command('EXISTS', "arq:job:$($job.Id)") | Should -Be '1'
    }

    It 'makes one job per pipeline input object' {
        $jobs = 1..100 | Submit-ArqJob -Redis $redis -Function Echo

        $jobs | Should -HaveCount 100
        $db.Command('ZCARD', 'arq:queue') | Should -Be '100'
        ($jobs | Select-Object -Last 1).ArgumentList | Should -Be @(100)
    }

    It 'carries hashtables and PSCustomObjects as maps' {
        $job = Submit-ArqJob -Redis $redis -Function ship -ArgumentList ([pscustomobject]@{ Name = 'books'; Weight = 3 }) -Parameters @{ Express = $true }

        $job.ArgumentList[0].Name | Should -Be 'books'
        $job.ArgumentList[0].Weight | Should -Be 3
        $job.Parameters.Express | Should -BeTrue
    }

    It 'defers a job' {
        $job = Submit-ArqJob -Redis $redis -Function add -ArgumentList 1 -DeferBy (New-TimeSpan -Minutes 5)

        $job.Status | Should -Be 'Deferred'
        $job.Score | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(4))
    }

    It 'writes a non-terminating error for a duplicate id and goes on' {
        $first = Submit-ArqJob -Redis $redis -Function add -JobId dup -ArgumentList 1

        $out = 'a', 'b' | Submit-ArqJob -Redis $redis -Function add -JobId dup -ErrorVariable problems -ErrorAction SilentlyContinue

        $first.Id | Should -Be 'dup'
        $out | Should -BeNullOrEmpty
        $problems | Should -HaveCount 2
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'DuplicateJobId*'
    }

    It 'refuses a script block argument and names it' {
        $out = Submit-ArqJob -Redis $redis -Function run -ArgumentList 1, { Remove-Item / } -ErrorVariable problems -ErrorAction SilentlyContinue

        $out | Should -BeNullOrEmpty
        $problems[0].Exception.Message | Should -BeLike '*Argument 1*ScriptBlock*'
        $db.Command('ZCARD', 'arq:queue') | Should -Be '0'
    }

    It 'names host and port when Redis cannot be reached, and never the password' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()

        $problem = { Submit-ArqJob -Redis "127.0.0.1:$port,password=hunter2-secret,connectTimeout=2000" -Function add } |
            Should -Throw -PassThru

        $problem.Exception.Message | Should -BeLike "*127.0.0.1:$port*"
        $problem.ToString() | Should -Not -BeLike '*hunter2-secret*'
    }
}
