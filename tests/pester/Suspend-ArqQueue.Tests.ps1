BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $actors = Join-Path $PSScriptRoot 'actors/actors.ps1'
}

Describe 'Suspend-ArqQueue and Resume-ArqQueue' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
    }
    AfterEach { $db.Dispose() }

    It 'pauses a queue so that a worker leaves its jobs, shows it, and resumes it from the pipeline' {
        $job = 3 | Submit-ArqJob -Redis $redis -Function Square

        Suspend-ArqQueue -Redis $redis -WhatIf
        (Get-ArqQueue -Redis $redis).Paused | Should -BeFalse -Because '-WhatIf changes nothing'
        $paused = Suspend-ArqQueue -Redis $redis -PassThru
        $summary = Start-ArqWorker -Redis $redis -Path $actors -Burst
        $table = Get-ArqQueue -Redis $redis | Out-String
        $resumed = Get-ArqQueue -Redis $redis | Where-Object Paused | Resume-ArqQueue -Redis $redis -PassThru
        $after = Start-ArqWorker -Redis $redis -Path $actors -Burst

        $paused.Paused | Should -BeTrue
        $paused.Queued | Should -Be 1
        $summary.Complete | Should -Be 0 -Because 'a burst worker whose queue is paused ends, leaving its jobs'
        $table | Should -Match 'arq:queue\s+1\s+0\s+0\s+[\d.]+s\s+paused'
        $resumed.Paused | Should -BeFalse
        $after.Complete | Should -Be 1
        $job | Receive-ArqJob | Should -Be 9
    }

    It 'says so with -Verbose when a queue is in that state already' {
        Suspend-ArqQueue emails -Redis $redis
        $again = Suspend-ArqQueue emails -Redis $redis -Verbose 4>&1
        $notPaused = Resume-ArqQueue reports -Redis $redis -Verbose 4>&1

        "$($again | Select-Object -Last 1)" | Should -Be 'emails was paused already.'
        "$($notPaused | Select-Object -Last 1)" | Should -Be 'reports was not paused.'
    }
}
