BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Wait-ArqJob' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
    }
    AfterEach {
        if ($worker) { $worker.Kill(); $worker.WaitForExit() }
        $db.Dispose()
    }

    It 'emits each job once it has finished, with its outcome' {
        $worker = Start-TestWorker $redis

        $done = @(1..5 | Submit-ArqJob -Redis $redis -Function Echo) + (Submit-ArqJob -Redis $redis -Function Fail -ArgumentList kaput) |
            Wait-ArqJob -Timeout 30

        $done | Should -HaveCount 6
        $done.Status | Sort-Object -Unique | Should -Be 'Complete'
        ($done | Where-Object Function -eq Echo).Success | Sort-Object -Unique | Should -BeTrue
        ($done | Where-Object Function -eq Fail).Error | Should -Be 'InvalidOperationException: kaput'
    }

    It 'returns when the timeout is up, emitting only the finished jobs, like Wait-Job' {
        $job = Submit-ArqJob -Redis $redis -Function Echo -ArgumentList never-run

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $done = $job | Wait-ArqJob -Timeout 1

        $done | Should -BeNullOrEmpty
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
    }

    It 'returns with -Any once one job has finished' {
        $worker = Start-TestWorker $redis
        $slow = Submit-ArqJob -Redis $redis -Function Sleeper.Nap -ArgumentList 60000
        $quick = Submit-ArqJob -Redis $redis -Function Echo -ArgumentList 1

        $done = $slow, $quick | Wait-ArqJob -Any -Timeout 30

        $done.Id | Should -Be $quick.Id
    }

    It 'writes an error for a job that is nowhere' {
        $done = Wait-ArqJob -Redis $redis -Id ghost -ErrorVariable problems -ErrorAction SilentlyContinue

        $done | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'JobNotFound*'
    }
}
