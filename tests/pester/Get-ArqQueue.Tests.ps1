BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Get-ArqQueue' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
    }
    AfterEach { $db.Dispose() }

    It 'counts the jobs of every queue Redis holds' {
        1..100 | Submit-ArqJob -Redis $redis -Function Echo | Out-Null
        Submit-ArqJob -Redis $redis -Function Echo -Queue emails -DeferBy (New-TimeSpan -Hours 1) | Out-Null

        $queues = Get-ArqQueue -Redis $redis

        $queues.Name | Should -Be @('arq:queue', 'emails')
        $queues[0].Queued | Should -Be 100
        $queues[0].OldestDueAge | Should -BeOfType TimeSpan
        $queues[1].Deferred | Should -Be 1
        $queues[1].OldestDueAge | Should -BeNullOrEmpty
    }

    It 'parses the health-check line of a worker' {
        $db.Command('SET', 'arq:queue:health-check', 'Nov-29 11:30:10 j_complete=7 j_failed=1 j_retried=2 j_ongoing=1 queued=4') | Out-Null

        $queue = Get-ArqQueue -Redis $redis -Queue arq:queue

        $queue.Health.Complete | Should -Be 7
        $queue.Health.Failed | Should -Be 1
        $queue.Health.Time | Should -Be 'Nov-29 11:30:10'
    }

    It 'never shows the password it connected with' {
        $guarded = [Arq.Tests.RedisTestServer]::StartPrivate('--requirepass', 'hunter2-secret')
        try {
            $text = Get-ArqQueue -Redis "$($guarded.ConnectionString),password=hunter2-secret" | Format-List * | Out-String

            $text | Should -Match 'arq:queue'
            $text | Should -Not -Match 'hunter2'
        }
        finally { $guarded.Dispose() }
    }
}
