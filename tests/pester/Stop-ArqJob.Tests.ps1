BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Stop-ArqJob' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
    }
    AfterEach {
        if ($worker) { $worker.Kill(); $worker.WaitForExit() }
        $db.Dispose()
    }

    It 'changes nothing with -WhatIf' {
        $job = Submit-ArqJob -Redis $redis -Function Echo -DeferBy (New-TimeSpan -Hours 1)

        $job | Stop-ArqJob -WhatIf

        $db.Command('ZCARD', 'arq:abort') | Should -Be '0'
        (Get-ArqJob -Redis $redis -Id $job.Id).Status | Should -Be 'Deferred'
    }

    It 'aborts a running job' {
        $worker = Start-TestWorker $redis
        $job = Submit-ArqJob -Redis $redis -Function Sleeper.Nap -ArgumentList 60000
        while ((Get-ArqJob -Redis $redis -Id $job.Id).Status -ne 'InProgress') { Start-Sleep -Milliseconds 20 }

        $stopped = $job | Stop-ArqJob -Confirm:$false -PassThru | Wait-ArqJob -Timeout 30

        $stopped.Success | Should -BeFalse
        $stopped.Error | Should -Be 'CancelledError: job aborted'
    }
}
