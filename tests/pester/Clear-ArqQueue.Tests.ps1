BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Clear-ArqQueue' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
        1..5 | Submit-ArqJob -Redis $redis -Function Echo | Out-Null
    }
    AfterEach { $db.Dispose() }

    It 'changes nothing with -WhatIf' {
        Clear-ArqQueue -Redis $redis -WhatIf

        $db.Command('ZCARD', 'arq:queue') | Should -Be '5'
    }

    It 'has high confirm impact, so it asks by default' {
        (Get-Command Clear-ArqQueue).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact |
            Should -Be 'High'
    }

    It 'removes every waiting job and reports how many' {
        $verbose = Clear-ArqQueue -Redis $redis -Queue arq:queue -Confirm:$false -Verbose 4>&1

        $verbose.Message | Should -Contain 'Removed 5 jobs from arq:queue.'
        $db.Command('ZCARD', 'arq:queue') | Should -Be '0'
    }
}
