BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Remove-ArqJob' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
    }
    AfterEach { $db.Dispose() }

    It 'changes nothing with -WhatIf' {
        $job = Submit-ArqJob -Redis $redis -Function Echo

        $job | Remove-ArqJob -WhatIf

        $db.Command('EXISTS', "arq:job:$($job.Id)") | Should -Be '1'
        $db.Command('ZCARD', 'arq:queue') | Should -Be '1'
    }

    It 'deletes a waiting job and its keys' {
        $job = Submit-ArqJob -Redis $redis -Function Echo

        Remove-ArqJob -Redis $redis -Id $job.Id -Confirm:$false

        $db.Command('EXISTS', "arq:job:$($job.Id)") | Should -Be '0'
        $db.Command('ZCARD', 'arq:queue') | Should -Be '0'
    }

    It 'refuses a running job and a missing one with non-terminating errors' {
        $running = Submit-ArqJob -Redis $redis -Function Echo
        $db.Command('SET', "arq:in-progress:$($running.Id)", '1') | Out-Null

        $running.Id, 'ghost' | Remove-ArqJob -Redis $redis -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } | Should -Be @('JobRunning', 'JobNotFound')
        $db.Command('EXISTS', "arq:job:$($running.Id)") | Should -Be '1'
    }
}
