BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $actors = Join-Path $TestDrive 'chain.ps1'
    Set-Content $actors @'
function Get-Report([int] $Month) { "report $Month" }
function Send-Report { $ArqContext.Parents | ForEach-Object { "sent $($_.Result.ToObject())" } }
function Break-Report { throw 'the printer is on fire' }
function Count-Outcomes { @($ArqContext.Parents | ForEach-Object { if ($_.Success) { 'ok' } else { $_.Error.Type } }) -join ',' }
function Flaky([string] $Marker) { if (-not (Test-Path $Marker)) { New-Item $Marker | Out-Null; throw 'first try fails' }; 'fine' }
'@
}

Describe 'Continuations: Submit-ArqJob -After' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
    }
    AfterEach { $db.Dispose() }

    It 'runs a job piped with -After { $_ } once its parent finished, the parent''s result in $ArqContext.Parents, not as an argument' {
        $sent = 11, 12 | Submit-ArqJob -Redis $redis Get-Report | Submit-ArqJob -Redis $redis Send-Report -After { $_ }

        $sent.Status | Should -Be 'Waiting', 'Waiting'
        (Get-ArqJob -Redis $redis -State Waiting).Id | Should -Be $sent.Id
        (Get-ArqQueue -Redis $redis).Waiting | Should -Be 2
        $sent[0].ArgumentList | Should -HaveCount 0 -Because 'a piped parent is not an argument'
        Start-ArqWorker -Redis $redis -Path $actors -Burst | Out-Null
        $sent | Receive-ArqJob | Should -Be 'sent report 11', 'sent report 12'
    }

    It 'fails a continuation of a failed job as ParentFailed without running it, and runs one with -AfterAnyOutcome' {
        $broken = Submit-ArqJob -Redis $redis Break-Report
        $send = Submit-ArqJob -Redis $redis Send-Report -After $broken
        $count = Submit-ArqJob -Redis $redis Count-Outcomes -After $broken.Id -AfterAnyOutcome

        Start-ArqWorker -Redis $redis -Path $actors -Burst | Out-Null

        $failed = Get-ArqJob -Redis $redis -Id $send.Id
        $failed.Success | Should -BeFalse
        $failed.Error | Should -BeLike "ParentFailed: it runs after job $($broken.Id), which failed (RuntimeException: the printer is on fire*"
        $count | Receive-ArqJob | Should -Be 'RuntimeException'
    }

    It 'refuses -After with something that is not a job, naming what it got' {
        Submit-ArqJob -Redis $redis Send-Report -After 42 -ErrorVariable problem -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        "$problem" | Should -BeLike '*-After takes ArqJob objects or job ids, but was given Int32*'
        { Submit-ArqJob -Redis $redis Send-Report -After 'no-such-job' -ErrorAction Stop } | Should -Throw '*cannot run after job no-such-job*'
    }
}

Describe 'Dead letters: Get-ArqJob -State Failed and Restart-ArqJob' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
    }
    AfterEach { $db.Dispose() }

    It 'lists a job that failed for good after its result expired, and submits it again with its arguments' {
        $marker = Join-Path $TestDrive "marker-$(New-Guid)"
        $job = Submit-ArqJob -Redis $redis Flaky -Parameters @{ Marker = $marker }
        Start-ArqWorker -Redis $redis -Path $actors -Burst -KeepResult 0 | Out-Null

        $failed = @(Get-ArqJob -Redis $redis -State Failed)
        $byId = Get-ArqJob -Redis $redis -Id $job.Id
        $failed | Restart-ArqJob -Redis $redis -WhatIf
        $stillFailed = @(Get-ArqJob -Redis $redis -State Failed)
        $again = $failed | Restart-ArqJob -Redis $redis
        Start-ArqWorker -Redis $redis -Path $actors -Burst | Out-Null

        $failed.Id | Should -Be $job.Id
        $failed[0].Error | Should -BeLike '*first try fails*'
        $failed[0].Parameters.Marker | Should -Be $marker
        ($byId.Status, $byId.Success, $byId.Function) | Should -Be 'Complete', $false, 'Flaky' -Because 'its dead letter outlives its result'
        $stillFailed | Should -HaveCount 1 -Because '-WhatIf changes nothing'
        $again.Status | Should -Be 'Queued'
        $again | Receive-ArqJob | Should -Be 'fine'
        @(Get-ArqJob -Redis $redis -State Failed) | Should -HaveCount 0
    }

    It 'writes an error for a job that is not among the failed jobs, and goes on' {
        Restart-ArqJob -Redis $redis -Id nothing-failed -ErrorVariable problem -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        "$problem" | Should -BeLike 'Job nothing-failed is not among the failed jobs arq:queue keeps*'
        $problem[0].FullyQualifiedErrorId | Should -BeLike 'NoDeadLetter*'
    }
}
