BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $actors = Join-Path $PSScriptRoot 'actors/actors.ps1'

    # A result's hex with its three times (et, st, ft) zeroed: they are the only fields that differ between runs.
    function Hide-Times([string] $hex) { $hex -replace '(a2(?:65|73|66)74cf)[0-9a-f]{16}', '${1}0000000000000000' }
}

Describe 'Start-ArqWorker' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
    }
    AfterEach { $db.Dispose() }

    It 'runs PowerShell class and function jobs in a burst and returns a summary' {
        $jobs = @(
            Submit-ArqJob -Redis $redis -Function Greeter.Hello -ArgumentList ann
            Submit-ArqJob -Redis $redis -Function Greeter.Hello -Parameters @{ name = 'bob' }
            1..3 | Submit-ArqJob -Redis $redis -Function Square
            Submit-ArqJob -Redis $redis -Function Many
        )

        $summary = Start-ArqWorker -Redis $redis -Path $actors -Burst

        $summary.Complete | Should -Be 6
        $summary.Failed | Should -Be 0
        $results = $jobs | Receive-ArqJob
        $results[0..4] | Should -Be @('Hello ann', 'Hello bob', 1, 4, 9)
        $results[5][0..1] | Should -Be @(1, 'two')
        $results[5][2].three | Should -Be 3
    }

    It 'imports, in an actor, a module from a folder on the session''s PSModulePath, explicitly and on first use' {
        $modules = Join-Path $TestDrive 'modules'
        New-Item -ItemType Directory (Join-Path $modules 'Greeting'), (Join-Path $modules 'Farewell') | Out-Null
        Set-Content (Join-Path $modules 'Greeting/Greeting.psm1') 'function Get-Greeting($Name) { "hi $Name" }'
        Set-Content (Join-Path $modules 'Farewell/Farewell.psm1') 'function Get-Farewell($Name) { "bye $Name" }'
        $script = Join-Path $TestDrive 'module-actors.ps1'
        Set-Content $script @'
Import-Module Greeting
function Greet($Name) { Get-Greeting $Name }
function Part($Name) { Get-Farewell $Name }   # Farewell loads on first use, as in a session
'@
        $greet = Submit-ArqJob -Redis $redis -Function Greet -ArgumentList ann
        $part = Submit-ArqJob -Redis $redis -Function Part -ArgumentList bob
        $saved = $env:PSModulePath
        $env:PSModulePath = $modules + [IO.Path]::PathSeparator + $saved
        try {
            $summary = Start-ArqWorker -Redis $redis -Path $script -Burst
        }
        finally {
            $env:PSModulePath = $saved
        }

        $summary.Failed | Should -Be 0
        $greet | Receive-ArqJob | Should -Be 'hi ann'
        $part | Receive-ArqJob | Should -Be 'bye bob'
    }

    It 'keeps results for ever with -KeepResultForever, and for N seconds with -KeepResult N' {
        $forever = Submit-ArqJob -Redis $redis -Function Square -ArgumentList 3
        Start-ArqWorker -Redis $redis -Path $actors -Burst -KeepResultForever | Out-Null
        $db.Command('PTTL', "arq:result:$($forever.Id)") | Should -Be '-1'
        $forever | Receive-ArqJob | Should -Be 9

        $twoMinutes = Submit-ArqJob -Redis $redis -Function Square -ArgumentList 4
        Start-ArqWorker -Redis $redis -Path $actors -Burst -KeepResult 120 | Out-Null
        [long]$db.Command('PTTL', "arq:result:$($twoMinutes.Id)") | Should -BeGreaterThan 110000
        [long]$db.Command('PTTL', "arq:result:$($twoMinutes.Id)") | Should -BeLessOrEqual 120000
    }

    It 'refuses a duration that means nothing, naming the parameter and what to write instead' {
        $job = Submit-ArqJob -Redis $redis -Function Square -ArgumentList 5
        { Start-ArqWorker -Redis $redis -Path $actors -Burst -KeepResult -1 } |
            Should -Throw "*'KeepResult'*must be zero or positive, but is -00:00:01. Use -KeepResultForever*"
        { Start-ArqWorker -Redis $redis -Path $actors -Burst -JobTimeout 0 } | Should -Throw "*'JobTimeout'*must be positive, but is 00:00:00.*"
        { Start-ArqWorker -Redis $redis -Path $actors -Burst -LeaseTime 0.1 } | Should -Throw 'LeaseTime must be at least 300 ms, but is 00:00:00.1000000.*'
        { Start-ArqWorker -Redis $redis -Path $actors -Burst -ShutdownDelay 'soon' } | Should -Throw "*'soon' is not a duration*"
        { Start-ArqWorker -Redis $redis -Path $actors -Burst -KeepResult 10 -KeepResultForever } | Should -Throw '*-KeepResult or -KeepResultForever, not both*'
        { Start-ArqWorker -Redis $redis -Path $actors -Burst -RateLimit fast } | Should -Throw "*'RateLimit'*'fast' is not a rate limit*10/s, 100/min*"
        { Start-ArqWorker -Redis $redis -Path $actors -Burst -KeepFailedFor 0 } | Should -Throw "*'KeepFailedFor'*must be positive*"
        { Start-ArqWorker -Redis $redis -Path $actors -Burst -KeepFailed -1 } | Should -Throw "*'KeepFailed'*"
        { Submit-ArqJob -Redis $redis -Function Square -DeferBy -5 } | Should -Throw "*'DeferBy'*must be zero or positive*"
        { Submit-ArqJob -Redis $redis -Function Square -Expires 0 } | Should -Throw "*'Expires'*must be positive*"
        (Get-ArqJob -Redis $redis -Id $job.Id).Status | Should -Be 'Queued' -Because 'no worker ran'
        @(Get-ArqJob -Redis $redis).Count | Should -Be 1 -Because 'no job was submitted'
    }

    It 'relays a line per job start and end to the Information stream' {
        $job = Submit-ArqJob -Redis $redis -Function Square -ArgumentList 7

        Start-ArqWorker -Redis $redis -Path $actors -Burst -InformationVariable lines | Out-Null

        ($lines.MessageData | Where-Object { $_ -like "*→ $($job.Id):Square(7)*" }) | Should -HaveCount 1
        ($lines.MessageData | Where-Object { $_ -like "*← $($job.Id):Square ● 49*" }) | Should -HaveCount 1
    }

    It 'says with -Verbose where the executor''s start-up went, step by step' {
        $verbose = Start-ArqWorker -Redis $redis -Path $actors -Burst -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        $line = @($verbose.Message | Where-Object { $_ -match '^Executor \d+ started in ' })
        $line | Should -HaveCount 1
        $line[0] | Should -Match '^Executor \d+ started in \d+\.\d\d s: pwsh \d+\.\d\d s, module \d+\.\d\d s, actors \d+\.\d\d s, Redis \d+\.\d\d s$'
    }

    It 'keeps what a job writes to each stream, and Receive-ArqJob replays it, in order, to the matching streams' {
        $job = Submit-ArqJob -Redis $redis -Function Chatty
        Start-ArqWorker -Redis $redis -Path $actors -Burst -WarningAction SilentlyContinue | Out-Null

        $all = @($job | Receive-ArqJob -Verbose -ErrorAction Continue *>&1)
        $null = $job | Receive-ArqJob -WarningVariable warnings -InformationVariable information -ErrorVariable errors `
            -WarningAction SilentlyContinue -ErrorAction SilentlyContinue -InformationAction SilentlyContinue

        @($all | ForEach-Object { $_.GetType().Name }) |
            Should -Be @('VerboseRecord', 'InformationRecord', 'WarningRecord', 'ErrorRecord', 'InformationRecord', 'String')
        $all[0].Message | Should -Be 'starting'
        $all[1].MessageData | Should -Be 'step 1 of 2'
        $all[1].Tags | Should -Be @('progress', 'step')
        $all[1].Source | Should -Be $job.Id
        $all[3].Exception.Message | Should -Be 'file a.txt not found'
        $all[3].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,Chatty*'
        $all[3].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $all[4].Tags | Should -Contain 'PSHOST'
        $all[5] | Should -Be 'done'
        $warnings.Message | Should -Be 'disk almost full'
        $information.MessageData | Should -Be @('step 1 of 2', 'shown on the host')
        $errors.Exception.Message | Should -Be 'file a.txt not found'
    }

    It 'keeps a job''s first warnings up to the limit, says how many it left out, and runs the next job' {
        $noisy = Submit-ArqJob -Redis $redis -Function Noisy -ArgumentList 100000
        $next = Submit-ArqJob -Redis $redis -Function Square -ArgumentList 3

        Start-ArqWorker -Redis $redis -Path $actors -Burst -WarningVariable logged -WarningAction SilentlyContinue | Out-Null
        $null = $noisy | Receive-ArqJob -WarningVariable warnings -WarningAction SilentlyContinue

        $next | Receive-ArqJob | Should -Be 9
        $warnings.Count | Should -BeGreaterThan 1000
        $warnings.Count | Should -BeLessThan 10000
        $warnings[0].Message | Should -Be 'warning 0'
        $warnings[-2].Message | Should -Be "warning $($warnings.Count - 2)"
        $warnings[-1].Message | Should -Match "^Job $($noisy.Id) wrote \d+ more records to its streams than its worker keeps"
        @($logged.Message | Where-Object { $_ -like '*Noisy warning: *' }) | Should -HaveCount 3
        @($logged.Message | Where-Object { $_ -like '*Noisy wrote * more warnings or other records*' }) | Should -HaveCount 1
    }

    It 'keeps only -MaxStreamBytes of a job''s streams, and none with 0' {
        $small = Submit-ArqJob -Redis $redis -Function Noisy -ArgumentList 100
        Start-ArqWorker -Redis $redis -Path $actors -Burst -MaxStreamBytes 200 -WarningAction SilentlyContinue | Out-Null
        $none = Submit-ArqJob -Redis $redis -Function Noisy -ArgumentList 100
        Start-ArqWorker -Redis $redis -Path $actors -Burst -MaxStreamBytes 0 -WarningAction SilentlyContinue | Out-Null

        $null = $small | Receive-ArqJob -WarningVariable kept -WarningAction SilentlyContinue
        $null = $none | Receive-ArqJob -WarningVariable nothing -WarningAction SilentlyContinue

        $kept.Count | Should -BeLessThan 10
        $kept[-1].Message | Should -Match 'wrote 9\d more records to its streams than its worker keeps'
        $nothing | Should -BeNullOrEmpty
    }

    It 'shows a running job''s Write-Progress to a session that waits on it, under that session''s own bar' {
        $job = Submit-ArqJob -Redis $redis -Function Progressing -ArgumentList 10
        $other = Submit-ArqJob -Redis $redis -Function Square -ArgumentList 2
        $waiter = [powershell]::Create()
        $null = $waiter.AddCommand('Import-Module').AddArgument($modulePath).AddStatement().
            AddCommand('Wait-ArqJob').AddParameter('Id', [string[]] @($job.Id, $other.Id)).AddParameter('Redis', $redis).AddParameter('Timeout', 60)
        $waiting = $waiter.BeginInvoke()

        Start-ArqWorker -Redis $redis -Path $actors -Burst | Out-Null
        $waited = $waiter.EndInvoke($waiting)
        $counting = @($waiter.Streams.Progress | Where-Object Activity -EQ 'Counting')
        $waiter.Dispose()

        $waited | Should -HaveCount 2
        @($counting | Where-Object RecordType -EQ 'Processing') | Should -Not -BeNullOrEmpty
        $counting[0].StatusDescription | Should -Match '^step \d+ of 10$'
        @($counting.ParentActivityId | Sort-Object -Unique) | Should -Be @(1)
        $counting[-1].RecordType | Should -Be 'Completed'
    }

    It 'submits jobs as one PowerShell job that Get-Job, Wait-Job, Receive-Job and Remove-Job work on' {
        $psJob = 1..3 | Submit-ArqJob -Redis $redis -Function Square -AsJob

        $psJob.PSJobTypeName | Should -Be 'ArqJob'
        $psJob.ChildJobs | Should -HaveCount 3
        (Get-Job -Id $psJob.Id).InstanceId | Should -Be $psJob.InstanceId
        @(Get-Job -State Running | Where-Object InstanceId -EQ $psJob.InstanceId) | Should -HaveCount 1
        Start-ArqWorker -Redis $redis -Path $actors -Burst | Out-Null
        (Wait-Job $psJob -Timeout 30).State | Should -Be 'Completed'
        Receive-Job $psJob -Keep | Sort-Object | Should -Be @(1, 4, 9)
        Receive-Job $psJob | Sort-Object | Should -Be @(1, 4, 9)
        $psJob.HasMoreData | Should -BeFalse
        Remove-Job $psJob
        Get-Job -Id $psJob.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'fails the PowerShell job of a failed Arq job with its error, keeps its streams, and Stop-Job aborts the Arq job' {
        $failing = Submit-ArqJob -Redis $redis -Function Boom -AsJob
        $chatty = Submit-ArqJob -Redis $redis -Function Chatty -AsJob
        $stopped = Submit-ArqJob -Redis $redis -Function Square -ArgumentList 5 -DeferBy 60 -AsJob
        Stop-Job $stopped
        Start-ArqWorker -Redis $redis -Path $actors -Burst -WarningAction SilentlyContinue | Out-Null

        (Wait-Job $failing, $chatty -Any -Timeout 30) | Should -HaveCount 1
        $null = Wait-Job $failing, $chatty -Timeout 30
        $failing.State | Should -Be 'Failed'
        $null = Receive-Job $failing -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].Exception.RemoteTypeName | Should -Be 'System.IO.FileNotFoundException'
        $chatty.State | Should -Be 'Completed'
        Receive-Job $chatty -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction SilentlyContinue | Should -Be 'done'
        $warnings.Message | Should -Be 'disk almost full'
        $stopped.State | Should -Be 'Stopped'
        $stopped.ChildJobs[0].State | Should -Be 'Stopped'
        (Get-ArqJob -Redis $redis -Id $stopped.ChildJobs[0].JobId).Status | Should -Not -Be 'Queued'
    }

    It 'wraps jobs already submitted in a PowerShell job with Wait-ArqJob -AsJob' {
        $jobs = 2, 3 | Submit-ArqJob -Redis $redis -Function Square
        $psJob = $jobs | Wait-ArqJob -AsJob

        $psJob.ChildJobs.JobId | Should -Be $jobs.Id
        Start-ArqWorker -Redis $redis -Path $actors -Burst | Out-Null
        Receive-Job $psJob -Wait -AutoRemoveJob | Sort-Object | Should -Be @(4, 9)
        Get-Job -Id $psJob.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'runs the jobs of .NET actor assemblies, actors keeping their state' {
        $jobs = 1..3 | ForEach-Object { Submit-ArqJob -Redis $redis -Function Inventory.Add -ArgumentList apples, 2 }
        $described = Submit-ArqJob -Redis $redis -Function Inventory.Describe

        Start-ArqWorker -Redis $redis -Assembly $sampleActorsPath -Burst -MaxJobs 1 | Out-Null

        # Jobs due in the same millisecond run in id order: the running totals prove the state, in whatever order.
        $jobs | Receive-ArqJob | Sort-Object | Should -Be @(2, 4, 6)
        $described | Receive-ArqJob | Should -Be 'Inventory.Describe try 1 on arq:queue'
    }

    It 'runs every job, PowerShell and .NET, in one executor process' {
        $jobs = @(1..10 | ForEach-Object { Submit-ArqJob -Redis $redis -Function WhoAmI }) +
            @(1..10 | ForEach-Object { Submit-ArqJob -Redis $redis -Function Inventory.ProcessId })

        Start-ArqWorker -Redis $redis -Path $actors -Assembly $sampleActorsPath -Burst | Out-Null

        $pids = $jobs | Receive-ArqJob
        $pids | Should -HaveCount 20
        @($pids | Sort-Object -Unique) | Should -HaveCount 1
        $pids[0] | Should -Not -Be $PID
    }

    It 'fails a job with the script error, which Receive-ArqJob shows as the original reads, field by field' {
        $job = Submit-ArqJob -Redis $redis -Function Boom
        Start-ArqWorker -Redis $redis -Path $actors -Burst -WarningAction SilentlyContinue | Out-Null
        . $actors
        try { Boom } catch { $original = $_ }

        $problem = { $job | Receive-ArqJob -ErrorAction Stop } | Should -Throw -PassThru

        $problem.Exception.Message | Should -Be $original.Exception.Message
        $problem.Exception.RemoteTypeName | Should -Be $original.Exception.GetType().FullName
        $problem.CategoryInfo.Category | Should -Be $original.CategoryInfo.Category
        $problem.CategoryInfo.Reason | Should -Be $original.CategoryInfo.Reason
        $problem.FullyQualifiedErrorId | Should -BeLike "$($original.FullyQualifiedErrorId),*"
        ($problem.Exception.RemoteScriptStackTrace -split "`n")[0] | Should -Be ($original.ScriptStackTrace -split "`n")[0]
        ($problem.Exception.RemotePositionMessage -split "`n")[0] | Should -Be ($original.InvocationInfo.PositionMessage -split "`n")[0]
        $problem.Exception.JobId | Should -Be $job.Id
        $problem.Exception.Error.Message | Should -BeLike "no such report (at *actors.ps1:17)"
    }

    It 'stops a job that runs past -JobTimeout, and its runspace runs the next jobs' {
        $job = Submit-ArqJob -Redis $redis -Function Nap -ArgumentList 60000
        $after = 1..3 | Submit-ArqJob -Redis $redis -Function Square

        $summary = Start-ArqWorker -Redis $redis -Path $actors -Burst -JobTimeout 00:00:01 -MaxJobs 1

        $summary.TimedOut | Should -Be 1
        (Get-ArqJob -Redis $redis -Id $job.Id).Error | Should -Be 'TimeoutError: job timed out after 1s'
        $after | Receive-ArqJob | Should -Be @(1, 4, 9)
    }

    It 'reports <Script> with its file and line and claims no job' -ForEach @(
        @{ Script = 'broken-syntax.ps1'; Expected = '*broken-syntax.ps1:3:*' }
        @{ Script = 'missing-module.ps1'; Expected = '*missing-module.ps1:2:*Arq.Module.That.Does.Not.Exist*' }
        @{ Script = 'methodless-class.ps1'; Expected = '*methodless-class.ps1:3: the class JustData has no job functions*' }
        @{ Script = 'bad-cron.ps1'; Expected = "*bad-cron.ps1:2: The cron job cron:Report has an invalid schedule '61 * * * *'*" }
        @{ Script = 'bad-rate.ps1'; Expected = "*bad-rate.ps1:2: The job function's RateLimit = 'fast' is not a rate limit*" }
        @{ Script = 'failing-startup.ps1'; Expected = 'The start-up hook Test-Share failed: the share \\files\reports is not mounted*' }
        @{ Script = 'throws-halfway.ps1'; Expected = "*throws-halfway.ps1:3: Cannot find path '/no/such/settings.json'*" }
        @{ Script = 'exits-halfway.ps1'; Expected = '*exits-halfway.ps1: the script ended before it defined the function Later*' }
    ) {
        $job = Submit-ArqJob -Redis $redis -Function Fine

        $problem = { Start-ArqWorker -Redis $redis -Path (Join-Path $PSScriptRoot "actors/$Script") -Burst } | Should -Throw -PassThru

        $problem.FullyQualifiedErrorId | Should -BeLike 'ArqWorkerFailed*'
        $problem.Exception.Message | Should -BeLike $Expected
        (Get-ArqJob -Redis $redis -Id $job.Id).Status | Should -Be 'Queued'
        $db.Command('EXISTS', "arq:retry:$($job.Id)") | Should -Be '0'
    }

    It 'runs hooks in order around the worker and each job, a cron job at start-up, and retries by policy' {
        $env:ARQ_TEST_JOURNAL = Join-Path $TestDrive 'journal.txt'
        $hello = Submit-ArqJob -Redis $redis -Function Hello -ArgumentList ann
        $flaky = Submit-ArqJob -Redis $redis -Function Flaky

        $summary = Start-ArqWorker -Redis $redis -Path (Join-Path $PSScriptRoot 'actors/lifecycle.ps1') -Burst -MaxJobs 1

        $cronRun = Get-Content $env:ARQ_TEST_JOURNAL | Where-Object { $_ -like 'cron run *' }
        $cronRun | Should -Match '^cron run cron:Stamp:\d{13}$'
        # Hello, Flaky and the cron run are claimed in job-id order, which is random: the promise is an order per
        # job (the retry after the first try), with start-up before all of them and shutdown after.
        $journal = @(Get-Content $env:ARQ_TEST_JOURNAL)
        $journal[0] | Should -Be 'startup'
        $journal[-1] | Should -Be 'shutdown'
        $journal.Count | Should -Be 12 -Because ($journal -join ' | ')
        Assert-InOrder $journal 'before Hello try 1', 'after Hello Succeeded'
        Assert-InOrder $journal 'before cron:Stamp try 1', $cronRun, 'after cron:Stamp Succeeded'
        Assert-InOrder $journal 'before Flaky try 1', 'after Flaky Retrying', 'before Flaky try 2', 'after Flaky Failed',
            "gave up Flaky: still down (at $(Join-Path $PSScriptRoot 'actors/lifecycle.ps1'):20)"
        $hello | Receive-ArqJob | Should -Be 'hi ann'
        { $flaky | Receive-ArqJob -ErrorAction Stop } | Should -Throw '*still down*'
        $summary.Retried | Should -Be 1
        $cron = Get-ArqCron -Redis $redis
        $cron.Name | Should -Be 'cron:Stamp'
        $cron.NextRun | Should -Be ([DateTimeOffset]::new([DateTime]::UtcNow.Year + 1, 1, 1, 0, 0, 0, 123, [TimeSpan]::Zero).AddTicks(4560))
    }

    It 'runs a job Python arq wrote and stores the result Python arq stores' {
        # The job and result of vector result_success: Python's add(1, 2) and the result its worker wrote.
        $vector = Get-Content (Join-Path $repositoryRoot 'tests/vectors/result_success.json') -Raw | ConvertFrom-Json -AsHashtable
        $resultKey, $golden = $vector.redis_after.GetEnumerator() | Where-Object Key -like 'arq:result:*' | ForEach-Object { $_.Key, $_.Value.value_hex }
        $id = $resultKey.Substring('arq:result:'.Length)
        $pythonJob = (Get-Content (Join-Path $repositoryRoot 'tests/vectors/enqueue_positional.json') -Raw | ConvertFrom-Json -AsHashtable).redis_after.
            GetEnumerator() | Where-Object { $_.Value.value_msgpack_decoded.f -eq 'add' } | ForEach-Object { $_.Value.value_hex }
        $db.SetBytes("arq:job:$id", [Convert]::FromHexString($pythonJob))
        $db.Command('ZADD', 'arq:queue', [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds(), $id) | Out-Null

        Start-ArqWorker -Redis $redis -Path $actors -Burst | Out-Null

        $stored = [Convert]::ToHexString($db.GetBytes("arq:result:$id")).ToLower()
        Hide-Times $stored | Should -Be (Hide-Times $golden)
    }
}

Describe 'Start-ArqWorker with values as Python arq sends them' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
        $actors = Join-Path $PSScriptRoot 'actors/actors.ps1'

        # Puts {t: nil, f: <function>, a: [<argument, as hex>], k: {}, et: ...} on arq:queue, as Python's packb writes it.
        function Add-PythonJob([string] $Id, [string] $Function, [string] $ArgumentHex) {
            $name = [Convert]::ToHexString([Text.Encoding]::ASCII.GetBytes($Function))
            $hex = '85a174c0a166' + ('{0:x2}' -f (0xa0 + $Function.Length)) + $name + 'a16191' + $ArgumentHex + 'a16b80a26574cf0000019ad0000000'
            $db.SetBytes("arq:job:$Id", [Convert]::FromHexString($hex))
            $db.Command('ZADD', 'arq:queue', [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds(), $Id) | Out-Null
        }
    }
    AfterEach { $db.Dispose() }

    It 'keeps integer map keys as integers, found by $map[1], and writes them back as integers' {
        Add-PythonJob int-keys Lookup '8201a16102a162'   # {1: 'a', 2: 'b'}

        Start-ArqWorker -Redis $redis -Path $actors -Burst | Out-Null

        $result = [Convert]::ToHexString($db.GetBytes('arq:result:int-keys')).ToLower()
        # r: {'first': 'a', 'map': {1: 'a', 2: 'b'}}
        $result | Should -BeLike '*a17282a56669727374a161a36d61708201a16102a162*'
    }

    It 'takes a value nested as deep as the limit, and fails one level deeper naming the limit' {
        Add-PythonJob deepest Depth (('91' * 512) + '01')
        Add-PythonJob too-deep Depth (('91' * 513) + '01')

        $summary = Start-ArqWorker -Redis $redis -Path $actors -Burst

        Receive-ArqJob -Redis $redis -Id deepest | Should -Be 512
        (Get-ArqJob -Redis $redis -Id too-deep).Error |
            Should -Be 'ArgumentBindingError: Depth: the argument at position 0 is not valid: A value nests deeper than 512 levels, the most Arq takes (ArqMessagePack.MaxDepth).'
        $summary.Failed | Should -Be 1
    }
}

Describe 'Start-ArqWorker against hostile jobs' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
        $hostile = Join-Path $PSScriptRoot 'actors/hostile.ps1'
    }
    AfterEach { $db.Dispose() }

    It 'calls a function named like an alias, never the command the alias names' {
        $victim = Join-Path $TestDrive 'victim.txt'
        Set-Content $victim 'still here'
        $type = Submit-ArqJob -Redis $redis -Function type -ArgumentList $victim
        $del = Submit-ArqJob -Redis $redis -Function del -ArgumentList $victim

        Start-ArqWorker -Redis $redis -Path $hostile -Burst | Out-Null

        $type | Receive-ArqJob | Should -Be "typed $victim"
        $del | Receive-ArqJob | Should -Be "kept $victim"
        Get-Content $victim | Should -Be 'still here'
        Invoke-ArqJob $hostile type $victim | Should -Be "typed $victim"
    }

    It 'fails a job whose argument is not valid data for good, naming the argument, and runs the next' {
        # {t: nil, f: 'Square', a: [<a string whose bytes are not UTF-8>], k: {}, et: ...}, as a raw message.
        $db.SetBytes('arq:job:not-utf8', [Convert]::FromHexString('85a174c0a166a6537175617265a16191a2fffea16b80a26574cf0000019ad0000000'))
        $db.Command('ZADD', 'arq:queue', [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds(), 'not-utf8') | Out-Null
        $good = Submit-ArqJob -Redis $redis -Function Square -ArgumentList 6

        $summary = Start-ArqWorker -Redis $redis -Path (Join-Path $PSScriptRoot 'actors/actors.ps1') -Burst

        (Get-ArqJob -Redis $redis -Id not-utf8).Error | Should -BeLike 'ArgumentBindingError: Square: the argument at position 0 is not valid: *UTF-8*'
        $summary.Retried | Should -Be 0
        $good | Receive-ArqJob | Should -Be 36
    }

    It 'binds only the parameters a function declares: common parameters in a job fail it, and change nothing' {
        $outVariable = Submit-ArqJob -Redis $redis -Function Get-Secret -Parameters @{ Name = 'open'; OutVariable = 'ErrorActionPreference' }
        $errorAction = Submit-ArqJob -Redis $redis -Function Get-Secret -Parameters @{ Name = 'closed'; ErrorAction = 'SilentlyContinue' }
        $alias = Submit-ArqJob -Redis $redis -Function Get-Secret -Parameters @{ Key = 'open' }

        # After the others, in the same runspace (one job at a time): did any of them change its preferences?
        $preference = Submit-ArqJob -Redis $redis -Function Get-Preference -DeferBy 1

        Start-ArqWorker -Redis $redis -Path $hostile -Burst -MaxJobs 1 | Out-Null

        foreach ($job in $outVariable, $errorAction) {
            (Get-ArqJob -Redis $redis -Id $job.Id).Error | Should -BeLike "ArgumentBindingError: Get-Secret has no parameter named '*'; its parameters are: Name, Key."
        }
        $alias | Receive-ArqJob | Should -Be 'secret open'
        $preference | Receive-ArqJob | Should -Be 'Stop'
        { Invoke-ArqJob $hostile Get-Secret -Parameters @{ Name = 'closed'; ErrorAction = 'Ignore' } } | Should -Throw "*has no parameter named 'ErrorAction'*"
    }

    It 'fails a job that runs exit with a code other than 0, and runs the next in the same runspace' {
        $failed = Submit-ArqJob -Redis $redis -Function Stop-Early -ArgumentList 1
        $method = Submit-ArqJob -Redis $redis -Function Quitter.Quit -ArgumentList 2 -DeferBy 0.2
        $zero = Submit-ArqJob -Redis $redis -Function Stop-Early -ArgumentList 0 -DeferBy 0.4

        Start-ArqWorker -Redis $redis -Path $hostile -Burst -MaxJobs 1 -WarningAction SilentlyContinue | Out-Null

        (Get-ArqJob -Redis $redis -Id $failed.Id).Error | Should -BeLike "ScriptExit: The job ran 'exit 1'*"
        (Get-ArqJob -Redis $redis -Id $method.Id).Error | Should -BeLike "ScriptExit: The job ran 'exit 2'*"
        $zero | Receive-ArqJob | Should -Be 'partial'
    }

    It 'retires the runspaces of jobs that ignore their cancellation, and the next jobs run in new ones' {
        $blocked = 1..2 | ForEach-Object { Submit-ArqJob -Redis $redis -Function Wait-Blocked -ArgumentList 120 }
        $next = 1..4 | ForEach-Object { Submit-ArqJob -Redis $redis -Function type -ArgumentList "next $_" -DeferBy 12 } # after the runspaces' 5 s grace

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $summary = Start-ArqWorker -Redis $redis -Path $hostile -Burst -MaxJobs 2 -JobTimeout 2 -WarningVariable warned -WarningAction SilentlyContinue
        $returnedAfter = $clock.Elapsed

        $summary.TimedOut | Should -Be 2
        $summary.Complete | Should -Be 4
        foreach ($job in $blocked) { (Get-ArqJob -Redis $redis -Id $job.Id).Error | Should -BeLike 'TimeoutError: *' }
        $next | Receive-ArqJob | Sort-Object | Should -Be ('typed next 1', 'typed next 2', 'typed next 3', 'typed next 4')
        @($warned | Where-Object Message -like '*did not stop within*runspace is retired*') | Should -HaveCount 2
        $returnedAfter.TotalSeconds | Should -BeLessThan 60 -Because 'the burst ends with its jobs, not with the threads of the two that sleep for 120 s'
    }

    It 'charges only the job that crashes the executor, names it, and keeps going' {
        $bystanders = 1..3 | ForEach-Object { Submit-ArqJob -Redis $redis -Function Rest -ArgumentList 3000 }
        $crasher = Submit-ArqJob -Redis $redis -Function Crash -DeferBy 0.3

        $summary = Start-ArqWorker -Redis $redis -Path $hostile -Burst -MaxJobs 4 -MaxTries 2 -WarningVariable warned -WarningAction SilentlyContinue

        $bystanders | Receive-ArqJob | Should -Be (@('rested on try 1') * 3) -Because 'a crash beside them cost them nothing'
        (Get-ArqJob -Redis $redis -Id $crasher.Id).Error | Should -BeLike 'MaxTriesExceeded: *'
        $summary.Restarts | Should -Be 3 -Because 'the crasher ran beside the others once, then alone twice'
        $died = @($warned.Message -like 'The executor died*')
        $died[0] | Should -BeLike "*$($crasher.Id) (Crash)*each will run again on its own*"
        $died[1] | Should -BeLike "*$($crasher.Id) (Crash) alone, which has spent a try*"
    }

    It 'reads nothing a job prints as its own events, and does not wait for a process a job left running' -Skip:$IsWindows {
        $forgedLine = '{"event":"fatal","message":"forged by a job"}'
        $forged = Submit-ArqJob -Redis $redis -Function Write-Line -ArgumentList $forgedLine
        $child = Submit-ArqJob -Redis $redis -Function Start-Child -ArgumentList 120

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $summary = Start-ArqWorker -Redis $redis -Path $hostile -Burst -InformationVariable relayed -InformationAction SilentlyContinue
        $returnedAfter = $clock.Elapsed
        $sleeper = Get-Process -Id ($child | Receive-ArqJob) -ErrorAction Ignore
        if ($sleeper) { $sleeper.Kill() }

        $summary.Complete | Should -Be 2
        $forged | Receive-ArqJob | Should -Be 'written'
        $relayed.MessageData | Should -Contain $forgedLine
        $sleeper | Should -Not -BeNullOrEmpty -Because 'the process the job started outlives the burst'
        $returnedAfter.TotalSeconds | Should -BeLessThan 60 -Because 'the burst ends with its executor, not with the process a job started'
    }
}

Describe 'Start-ArqWorker under a service manager' -Skip:(-not $IsLinux) {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
        $workerScript = Join-Path $PSScriptRoot 'actors/worker.ps1'
    }
    AfterEach {
        if ($worker -and -not $worker.HasExited) { $worker.Kill($true) }
        $db.Dispose()
    }

    It 'stops gracefully on SIGTERM: running jobs finish, none is lost, and pwsh -File exits 0 within the shutdown delay' {
        $running = 1..5 | ForEach-Object { Submit-ArqJob -Redis $redis -Function Nap -ArgumentList 3000 }
        $waiting = 1..3 | ForEach-Object { Submit-ArqJob -Redis $redis -Function Nap -ArgumentList 3000 -DeferBy 00:00:30 }
        $worker = Start-ChildPwsh $workerScript @('-ModulePath', $modulePath, '-Redis', $redis, '-Path', $actors, '-ShutdownDelay', '00:00:20', '-LeaseTime', '00:00:15')
        Wait-Until { @(Get-ArqJob -Redis $redis -State InProgress).Count -eq 5 } 'five jobs run'

        $clock = [Diagnostics.Stopwatch]::StartNew()
        kill -TERM $worker.Id
        $exited = $worker.WaitForExit(30000)

        $exited | Should -BeTrue
        $worker.ExitCode | Should -Be 0
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 20
        $running | Receive-ArqJob | Should -Be (@('rested') * 5)
        ($waiting | Get-ArqJob -Redis $redis).Status | Should -Be (@('Deferred') * 3)
    }

    It 'restarts an executor killed with SIGKILL, and every job completes' {
        $worker = Start-ChildPwsh $workerScript @('-ModulePath', $modulePath, '-Redis', $redis, '-Path', $actors, '-ShutdownDelay', '00:00:10', '-LeaseTime', '00:00:02')
        $first = Submit-ArqJob -Redis $redis -Function WhoAmI | Wait-ArqJob -Timeout 60 | Receive-ArqJob
        $jobs = 1..20 | ForEach-Object { Submit-ArqJob -Redis $redis -Function Nap -ArgumentList 200 }
        Wait-Until { @(Get-ArqJob -Redis $redis -State InProgress).Count -gt 0 } 'jobs run'

        kill -KILL $first
        $done = $jobs | Wait-ArqJob -Timeout 60
        $second = Submit-ArqJob -Redis $redis -Function WhoAmI | Wait-ArqJob -Timeout 60 | Receive-ArqJob
        kill -TERM $worker.Id
        $null = $worker.WaitForExit(30000)

        $done | Should -HaveCount 20
        $done.Success | Sort-Object -Unique | Should -BeTrue
        $second | Should -Not -Be $first
        $worker.StandardOutput.ReadToEnd() + $worker.StandardError.ReadToEnd() | Should -Match 'starting another'
        $worker.ExitCode | Should -Be 0
    }
}
