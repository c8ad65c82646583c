BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    # build.ps1 Test installs Chromium (Debian's chromium package) when it is missing and it is root.
    $chromium = (Get-Command chromium, chromium-browser, google-chrome -ErrorAction Ignore | Select-Object -First 1).Source
    $testOutput = $env:ARQ_TEST_OUTPUT ?? (Join-Path $repositoryRoot 'out/test-results')

    # What headless Chromium shows once the page's script has run: the DOM, or a screenshot.
    function Invoke-Chromium([string[]] $Arguments) {
        $profile = Join-Path $TestDrive "chromium-$(New-Guid)"
        (& $chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run "--user-data-dir=$profile" `
            --virtual-time-budget=3000 @Arguments 2>$null) -join "`n"
    }

    # A queue's cell as the page shows it: <td ... data-queue="arq:queue" data-field="queued">123</td>.
    function Get-Cell([string] $Dom, [string] $Field) {
        if ($Dom -notmatch "data-queue=`"arq:queue`" data-field=`"$Field`">([^<]*)<") { throw "The page shows no $Field for arq:queue." }
        [long] ($Matches[1] -replace '[^\d]', '')
    }

    # Starts a dashboard in a new pwsh, as a user would, on a port it picks itself (-Port 0): a port picked free here
    # and bound a second later by the child can be taken meanwhile by any connection's ephemeral port. Waits for its
    # first line, which it prints once it listens, and returns the process, the line, the address in it (with the
    # access token, if any: what a browser opens), the address without it and the token (what a script sends).
    function Start-Dashboard([string] $Redis, [string] $Switches = '') {
        $script = Join-Path $TestDrive "dashboard-$(New-Guid).ps1"
        Set-Content $script "Import-Module '$modulePath'; Start-ArqDashboard -Redis '$Redis' -Port 0 $Switches"
        $process = Start-ChildPwsh -File $script
        $script:dashboards += $process
        $line = $process.StandardOutput.ReadLineAsync()
        Wait-Until {
            if ($process.HasExited -and -not $line.IsCompleted) { throw "The dashboard exited with code $($process.ExitCode): $($process.StandardError.ReadToEnd())" }
            $line.IsCompleted
        } 'the dashboard says it listens'
        if ($line.Result -notmatch '^Arq dashboard on ((http://127\.0\.0\.1:\d+/)(\?token=(\w+))?) ') {
            throw "The dashboard said '$($line.Result)' and exited with code $($process.ExitCode): $($process.StandardError.ReadToEnd())"
        }
        $served = [pscustomobject]@{ Process = $process; Said = $line.Result; Url = $Matches[1]; Base = $Matches[2]; Token = $Matches[4] }
        (Invoke-WebRequest $served.Url -TimeoutSec 10).StatusCode | Should -Be 200
        $served
    }
}

Describe 'Start-ArqDashboard' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
        $script:dashboards = @()
    }
    AfterEach {
        foreach ($process in $script:dashboards) { if (-not $process.HasExited) { $process.Kill() } }
        $db.Dispose()
    }

    It 'serves the page and its JSON on loopback, read-only, and says where' {
        $served = Start-Dashboard $redis
        $url = $served.Url

        $served.Said | Should -Be "Arq dashboard on $url (read-only); Ctrl+C stops it."
        (Invoke-WebRequest $url).Content | Should -BeLike '*<title>Arq dashboard</title>*'
        (Invoke-RestMethod "${url}api/overview").allowActions | Should -BeFalse
        $served.Token | Should -BeNullOrEmpty -Because 'a read-only dashboard on loopback needs no token'
        $refused = Invoke-RestMethod -Method Post "${url}api/jobs/any/abort" -SkipHttpErrorCheck -StatusCodeVariable status
        $status | Should -Be 403
        $refused.error | Should -BeLike '*read-only*'
    }

    It 'marks a paused queue' {
        Submit-ArqJob -Redis $redis -Function Square -ArgumentList 1 | Out-Null
        Suspend-ArqQueue -Redis $redis
        $url = (Start-Dashboard $redis).Url

        (Invoke-RestMethod "${url}api/overview").queues[0].paused | Should -BeTrue
        if ($chromium) { Invoke-Chromium '--dump-dom', $url | Should -Match 'data-field="paused">paused<' }
    }

    It 'counts and lists a queue''s waiting continuations' {
        $parent = Submit-ArqJob -Redis $redis -Function Square -ArgumentList 1
        $child = Submit-ArqJob -Redis $redis -Function Square -ArgumentList 2 -After $parent
        $url = (Start-Dashboard $redis).Url

        $overview = Invoke-RestMethod "${url}api/overview"
        $waiting = Invoke-RestMethod "${url}api/queues/arq%3Aqueue/jobs?listing=waiting"

        $overview.queues[0].waiting | Should -Be 1
        $waiting.total | Should -Be 1
        ($waiting.jobs[0].id, $waiting.jobs[0].status) | Should -Be $child.Id, 'Waiting'
        if ($chromium) { Invoke-Chromium '--dump-dom', "${url}#/queues/arq%3Aqueue/waiting" | Should -Match 'Waiting <span class="muted">1</span>' }
    }

    It 'shows the queues of a Redis Cluster and their jobs, found without a scan' {
        $cluster = [Arq.Tests.RedisTestCluster]::Start()
        try {
            $node = $cluster.Nodes[0].ConnectionString
            'emails', 'reports' | ForEach-Object { Submit-ArqJob -Redis $node -Function Square -ArgumentList 1 -Queue $_ } | Out-Null
            $url = (Start-Dashboard $node).Url

            $overview = Invoke-RestMethod "${url}api/overview"
            $page = Invoke-RestMethod "${url}api/queues/emails/jobs"

            $overview.queues.name | Sort-Object | Should -Be 'emails', 'reports'
            ($overview.queues | Where-Object name -EQ 'emails').queued | Should -Be 1
            $page.total | Should -Be 1
            $page.jobs[0].function | Should -Be 'Square'
        }
        finally { $cluster.Dispose() }
    }

    It 'shows the counts change in a browser while a worker runs, and saves a screenshot' {
        if (-not $chromium) { Set-ItResult -Skipped -Because 'Chromium is not installed'; return }
        1..2000 | ForEach-Object { 15 } | Submit-ArqJob -Redis $redis -Function Sleeper.Nap | Out-Null
        $url = (Start-Dashboard $redis).Url

        $before = Invoke-Chromium '--dump-dom', $url
        $worker = Start-TestWorker $redis
        try {
            # A number, not the reply's text ('2' -ge 100 is true as strings); then the dashboard's own sampler
            # must have seen some, since the page shows what it last saw.
            Wait-Until { [long]$db.Command('HGET', 'arq:queue:stats', 'complete') -ge 100 } 'the worker completed 100 jobs'
            Wait-Until { (Invoke-RestMethod "${url}api/overview").queues[0].complete -gt 0 } 'the dashboard saw completed jobs'
            $during = Invoke-Chromium '--dump-dom', $url
            New-Item -ItemType Directory -Force $testOutput | Out-Null
            $screenshot = Join-Path $testOutput 'dashboard.png'
            Remove-Item $screenshot -ErrorAction Ignore
            Invoke-Chromium "--screenshot=$screenshot", '--window-size=1280,900', $url | Out-Null
        }
        finally { $worker.Kill() }

        Get-Cell $before 'queued' | Should -Be 2000
        Get-Cell $before 'complete' | Should -Be 0
        Get-Cell $during 'queued' | Should -BeLessThan 2000
        Get-Cell $during 'complete' | Should -BeGreaterThan 0
        $during | Should -Match '<polyline' -Because 'the charts have points'
        $screenshot | Should -Exist
        (Get-Item $screenshot).Length | Should -BeGreaterThan 10kb
    }

    It 'pages through a queue and shows a failed job''s page in a browser, with screenshots of both' {
        if (-not $chromium) { Set-ItResult -Skipped -Because 'Chromium is not installed'; return }
        $failed = Submit-ArqJob -Redis $redis -Function Fail -ArgumentList 'the disk is full'
        $worker = Start-TestWorker $redis
        try { $failed | Wait-ArqJob -Redis $redis -Timeout 30 | Out-Null }
        finally { $worker.Kill() }
        $jobs = 1..120 | ForEach-Object { "report $_" } | Submit-ArqJob -Redis $redis -Function Echo
        $served = Start-Dashboard $redis '-AllowActions'
        New-Item -ItemType Directory -Force $testOutput | Out-Null

        $listing = Invoke-Chromium '--dump-dom', "$($served.Url)#/queues/arq:queue/queued/2"
        $jobPage = Invoke-Chromium '--dump-dom', "$($served.Url)#/jobs/$($failed.Id)/arq:queue"
        foreach ($shot in @{ 'dashboard-jobs.png' = 'queues/arq:queue/queued/2'; 'dashboard-job.png' = "jobs/$($failed.Id)/arq:queue" }.GetEnumerator()) {
            $file = Join-Path $testOutput $shot.Key
            Remove-Item $file -ErrorAction Ignore
            Invoke-Chromium "--screenshot=$file", '--window-size=1280,900', "$($served.Url)#/$($shot.Value)" | Out-Null
            (Get-Item $file).Length | Should -BeGreaterThan 10kb
        }

        $served.Token | Should -Not -BeNullOrEmpty -Because 'actions need a signed-in user: the token''s holder'
        $listing | Should -Match 'page 2 of 3 \(120 jobs\)'
        [regex]::Matches($listing, '<tr data-status="Queued">').Count | Should -Be 50
        $jobs.Count | Should -Be 120
        $jobPage | Should -Match 'InvalidOperationException: the disk is full'
        $jobPage | Should -Match '<button data-action="retry">Retry</button>'
    }

    It 'ignores a form on another site that posts an abort, in a real browser' {
        if (-not $chromium) { Set-ItResult -Skipped -Because 'Chromium is not installed'; return }
        $job = Submit-ArqJob -Redis $redis -Function Sleeper.Nap -ArgumentList 1 -DeferBy 3600
        $withActions = Start-Dashboard $redis '-AllowActions'
        # The attacker's page: another origin (data: is opaque), a form that posts itself to the dashboard.
        $page = "<form method=post action='$($withActions.Url)api/jobs/$($job.Id)/abort'></form><script>document.forms[0].submit()</script>"
        Invoke-Chromium '--dump-dom', "data:text/html,$([uri]::EscapeDataString($page))" | Out-Null
        $withActions.Process.Kill()
        $withActions.Process.WaitForExit()

        $withActions.Said | Should -BeLike '*retry, abort and delete allowed*'
        $db.Command('ZCARD', 'arq:abort') | Should -Be 0
        ($job | Get-ArqJob -Redis $redis).Status | Should -Be 'Deferred'
    }
}
