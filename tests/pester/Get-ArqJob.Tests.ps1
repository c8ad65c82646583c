BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Get-ArqJob' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
    }
    AfterEach { $db.Dispose() }

    It 'reads jobs piped from Submit-ArqJob' {
        $job = Submit-ArqJob -Redis $redis -Function add -ArgumentList 1, 2 -Queue arq:other | Get-ArqJob -Redis $redis

        $job.Status | Should -Be 'Queued'
        $job.Queue | Should -Be 'arq:other'
        $job.ArgumentList | Should -Be @(1, 2)
    }

    It 'reports an unknown id as NotFound' {
        (Get-ArqJob -Redis $redis -Id nothing-here).Status | Should -Be 'NotFound'
    }

    It 'lists every job of a queue that holds a job it cannot decode, that one with its error' {
        $good = Submit-ArqJob -Redis $redis -Function add -ArgumentList 1, 2
        $db.SetBytes('arq:job:garbage', [byte[]](0xc1, 0x17))
        $db.Command('ZADD', 'arq:queue', '-inf', 'garbage') | Out-Null
        $db.SetBytes('arq:job:bad-text', [Convert]::FromHexString('85a174c0a166a3616464a16191a2fffea16b80a26574cf0000019ad0000000'))
        $db.Command('ZADD', 'arq:queue', '1', 'bad-text') | Out-Null

        $jobs = Get-ArqJob -Redis $redis

        $jobs.Id | Should -Be @('garbage', 'bad-text', $good.Id)
        $jobs[0].Error | Should -BeLike 'Not a valid arq job*'
        $jobs[1].Function | Should -Be 'add'
        $jobs[1].Error | Should -BeLike 'The arguments cannot be decoded:*'
        $jobs[2].ArgumentList | Should -Be @(1, 2)
    }

    It 'lists the jobs of a queue in the order they are due, filtered by state' {
        $later = Submit-ArqJob -Redis $redis -Function later -DeferBy (New-TimeSpan -Hours 1)
        $now = 1..3 | Submit-ArqJob -Redis $redis -Function now
        $db.Command('SET', "arq:in-progress:$($now[0].Id)", '1') | Out-Null

        $all = Get-ArqJob -Redis $redis
        $deferred = Get-ArqJob -Redis $redis -State Deferred
        $waiting = Get-ArqJob -Redis $redis -State Queued, InProgress

        # Due order: the three due now (equal scores tie by id, as Redis orders them), then the deferred one.
        $all.Id | Should -Be @(@($now | Sort-Object DueTime, Id).Id + $later.Id)
        ($all | Where-Object Id -eq $now[0].Id).Status | Should -Be 'InProgress'
        $deferred.Id | Should -Be $later.Id
        $waiting | Should -HaveCount 3
        Get-ArqJob -Redis $redis -First 2 | Should -HaveCount 2
    }
}
