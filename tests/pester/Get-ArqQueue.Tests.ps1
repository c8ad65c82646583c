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

    It 'counts completed and failed jobs, and shows a live view whose rates and counts change while a worker runs' {
        1..300 | ForEach-Object { 10 } | Submit-ArqJob -Redis $redis -Function Sleeper.Nap | Out-Null
        Submit-ArqJob -Redis $redis -Function Fail -ArgumentList 'on purpose' | Out-Null
        $script = Join-Path $TestDrive 'watch.ps1'
        Set-Content $script "Import-Module '$modulePath'; Get-ArqQueue -Redis '$redis' -Queue arq:queue -Watch -Interval 00:00:00.25 -Count 12"
        $watch = Start-ChildPwsh -File $script
        $frames = [System.Collections.Generic.List[string]]::new()
        while (($line = $watch.StandardOutput.ReadLine()) -notlike 'arq:queue*') { } # the first frame, before any worker
        $frames.Add($line)
        $worker = Start-TestWorker $redis
        try {
            while ($null -ne ($line = $watch.StandardOutput.ReadLine())) { if ($line -like 'arq:queue*') { $frames.Add($line) } }
            $watch.WaitForExit()
        }
        finally { $worker.Kill() }

        $watch.ExitCode | Should -Be 0
        $frames | Should -HaveCount 12
        $rows = $frames | ForEach-Object { , ($_ -split '\s{2,}') } # Queue, Queued, Deferred, InProgress, Complete/s, Failed/s, Worker
        $rows[0][1] | Should -Be '301'
        $rows[-1][1] | Should -Be '0'
        @($rows | Where-Object { [double] $_[4] -gt 0 }).Count | Should -BeGreaterThan 0 -Because 'the view shows the worker completing jobs'
        $queue = Get-ArqQueue -Redis $redis -Queue arq:queue
        $queue.Complete | Should -Be 300
        $queue.Failed | Should -Be 1
    }
}
