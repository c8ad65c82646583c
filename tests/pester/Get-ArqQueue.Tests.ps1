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

Describe 'Text from Redis on the terminal' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
        # Clears the screen, sets the window title, and reverses the text after it: chosen by whoever writes to Redis.
        $hostile = "evil`e[2J`e]0;pwned`a`u{202E}name"
        $shown = '*' + [WildcardPattern]::Escape("evil␛[2J␛]0;pwned␇�name") + '*'
    }
    AfterEach { $db.Dispose() }

    It 'shows control characters as visible pictures in queue and job tables, and keeps the objects'' text as it is' {
        $job = Submit-ArqJob -Redis $redis -Function $hostile -Queue $hostile
        $db.Command('SET', "$($hostile):health-check", "Nov-29 `e[31m11:30:10 j_complete=1 j_failed=0 j_retried=0 j_ongoing=0 queued=1") | Out-Null

        $queues = Get-ArqQueue -Redis $redis -Queue $hostile | Out-String -Width 300
        $jobs = Get-ArqJob -Redis $redis -Queue $hostile | Out-String -Width 300

        $queues | Should -Not -Match "`e"
        $queues | Should -BeLike $shown
        $queues | Should -BeLike '*Nov-29 ␛`[31m11:30*'
        $jobs | Should -Not -Match "`e"
        $jobs | Should -BeLike $shown
        (Get-ArqJob -Redis $redis -Id $job.Id -Queue $hostile).Function | Should -BeExactly $hostile
    }

    It 'cleans the live view and the worker''s log lines' {
        $job = Submit-ArqJob -Redis $redis -Function $hostile
        $script = Join-Path $TestDrive 'watch.ps1'
        Set-Content $script "Import-Module '$modulePath'; Get-ArqQueue -Redis '$redis' -Queue '$($hostile -replace "'", "''")' -Watch -Count 1"
        $watch = Start-ChildPwsh -File $script
        $frame = $watch.StandardOutput.ReadToEnd()
        $watch.WaitForExit()

        Start-ArqWorker -Redis $redis -Path (Join-Path $PSScriptRoot 'actors/actors.ps1') -Burst -InformationVariable relayed -WarningVariable warned -InformationAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null

        $frame | Should -Not -Match "`e"
        $frame | Should -BeLike $shown
        $warned | Should -Not -BeNullOrEmpty -Because 'the job names a function the actors do not have'
        foreach ($line in @($relayed.MessageData) + @($warned.Message)) { $line | Should -Not -Match "`e" }
        "$warned" | Should -BeLike $shown
    }

    It 'keeps line breaks only where a message may span lines' {
        [Arq.PowerShell.TerminalText]::Clean("a`r`nb`tc`rd", $true) | Should -BeExactly "a`r`nb`tc␍d"
        [Arq.PowerShell.TerminalText]::Clean("a`nb", $false) | Should -BeExactly 'a␊b'
        [Arq.PowerShell.TerminalText]::Clean($null) | Should -BeExactly ''
    }
}
