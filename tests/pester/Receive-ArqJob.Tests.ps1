BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Receive-ArqJob' {
    BeforeAll {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
        $worker = Start-TestWorker $redis
    }
    AfterAll {
        $worker.Kill(); $worker.WaitForExit()
        $db.Dispose()
    }

    It 'round-trips Submit-ArqJob | Wait-ArqJob | Receive-ArqJob with a worker running' {
        $results = 1..10 | Submit-ArqJob -Redis $redis -Function Add -Parameters @{ b = 100 } -ByPropertyName:$false |
            ForEach-Object { $_ } | Wait-ArqJob -Timeout 30 | Receive-ArqJob

        @($results | Sort-Object) | Should -Be @(101..110)
    }

    It 'returns maps as PSCustomObjects and arrays as arrays' {
        $value = [ordered]@{ name = 'ann'; tags = @('a', 'b'); nested = @{ n = 1 } }

        $result = Submit-ArqJob -Redis $redis -Function Echo -ArgumentList $value | Wait-ArqJob -Timeout 30 | Receive-ArqJob

        $result | Should -BeOfType System.Management.Automation.PSCustomObject
        $result.name | Should -Be 'ann'
        , $result.tags | Should -BeOfType System.Object[]
        $result.tags | Should -Be @('a', 'b')
        $result.nested.n | Should -Be 1
        $list = Submit-ArqJob -Redis $redis -Function Echo -ArgumentList (, @(1, 2, 3)) | Wait-ArqJob -Timeout 30 | Receive-ArqJob
        $list | Should -Be @(1, 2, 3)
        $list.GetType() | Should -Be ([object[]])
    }

    It 'writes an error record with the remote type and message, and the job id as target' {
        $job = Submit-ArqJob -Redis $redis -Function Fail -ArgumentList kaput | Wait-ArqJob -Timeout 30

        $out = $job | Receive-ArqJob -ErrorVariable problems -ErrorAction SilentlyContinue

        $out | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'InvalidOperationException*'
        $problems[0].Exception.Error.Message | Should -Be 'kaput'
        $problems[0].TargetObject | Should -Be $job.Id
    }

    It 'writes an error for a job that has not finished' {
        $job = Submit-ArqJob -Redis $redis -Function Sleeper.Nap -ArgumentList 1 -DeferBy (New-TimeSpan -Hours 1)

        $job | Receive-ArqJob -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems[0].FullyQualifiedErrorId | Should -BeLike 'JobNotFinished*'
    }
}
