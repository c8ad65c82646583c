BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Get-ArqCron' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
    }
    AfterEach { $db.Dispose() }

    It 'shows nothing for a queue whose workers run no cron job' {
        Get-ArqCron -Redis $redis | Should -BeNullOrEmpty
    }

    It 'shows the cron jobs a worker published, for the queues piped in, in a table with the next run' {
        $env:ARQ_TEST_JOURNAL = Join-Path $TestDrive 'journal.txt'
        Start-ArqWorker -Redis $redis -Path (Join-Path $PSScriptRoot 'actors/lifecycle.ps1') -Burst | Out-Null

        $crons = Get-ArqQueue -Redis $redis | Get-ArqCron -Redis $redis

        $crons | Should -HaveCount 1
        $crons.Name | Should -Be 'cron:Stamp'
        $crons.Schedule | Should -Be '0 0 1 1 *'
        $crons.TimeZone | Should -Be 'UTC'
        $crons.NextRun.Month | Should -Be 1
        Get-ArqCron -Redis $redis -Queue elsewhere | Should -BeNullOrEmpty
        $table = $crons | Out-String
        $table | Should -BeLike '*NextRun (local time)*'
        $table | Should -BeLike "*cron:Stamp*0 0 1 1 **UTC*$($crons.NextRun.LocalDateTime.ToString('yyyy-MM-dd HH:mm:ss'))*"
    }
}
