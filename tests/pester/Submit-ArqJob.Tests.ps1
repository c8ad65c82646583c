BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # The vectors' decoded JSON as the values a PowerShell user would pass: {"$bytes": hex} becomes a byte array.
    function ConvertFrom-Vector($value) {
        if ($value -is [System.Collections.IDictionary]) {
            if ($value.Contains('$bytes')) { return , [Convert]::FromHexString($value['$bytes']) }
            $ordered = [ordered]@{}
            foreach ($key in $value.Keys) { $ordered[$key] = ConvertFrom-Vector $value[$key] }
            return $ordered
        }
        if ($value -is [System.Collections.IList]) { return , @($value | ForEach-Object { , (ConvertFrom-Vector $_) }) }
        $value
    }
}

BeforeDiscovery {
    # One case per job that Python arq stored in an enqueue vector (those with _job_try aside: no cmdlet sets it).
    $vectorCases = Get-ChildItem (Join-Path $PSScriptRoot '../vectors') -Filter 'enqueue_*.json' | ForEach-Object {
        $vector = Get-Content $_ -Raw | ConvertFrom-Json -AsHashtable
        foreach ($entry in $vector.redis_after.GetEnumerator() | Where-Object { $_.Key -like 'arq:job:*' }) {
            $decoded = $entry.Value.value_msgpack_decoded
            if ($null -eq $decoded.t) { @{ name = "$($_.BaseName) $($entry.Key)"; Hex = $entry.Value.value_hex; Decoded = $decoded } }
        }
    }
    if (@($vectorCases).Count -lt 10) { throw "Found $(@($vectorCases).Count) enqueue vectors; are tests/vectors/enqueue_*.json in the repository?" }
}

Describe 'Submit-ArqJob' {
    BeforeEach {
        $db = New-TestDatabase
        $redis = $db.ConnectionString
    }
    AfterEach { $db.Dispose() }

    It 'enqueues a job on arq:queue and emits it as queued' {
        $job = Submit-ArqJob -Redis $redis -Function add -ArgumentList 1, 2

        $job | Should -BeOfType Arq.PowerShell.ArqJob
        $job.Id | Should -Match '^[0-9a-f]{32}$'
        $job.Status | Should -Be 'Queued'
        $job.Function | Should -Be 'add'
        $job.ArgumentList | Should -Be @(1, 2)
        $db.Command('ZCARD', 'arq:queue') | Should -Be '1'
        $db.Command('EXISTS', "arq:job:$($job.Id)") | Should -Be '1'
    }

    It 'makes one job per pipeline input object' {
        $jobs = 1..100 | Submit-ArqJob -Redis $redis -Function Echo

        $jobs | Should -HaveCount 100
        (Get-ArqQueue -Redis $redis -Queue arq:queue).Queued | Should -Be 100
        ($jobs | Select-Object -Last 1).ArgumentList | Should -Be @(100)
    }

    It 'passes the properties of input objects as named arguments with -ByPropertyName' {
        $jobs = [pscustomobject]@{ Name = 'ann'; Age = 41 }, @{ Name = 'bob' } | Submit-ArqJob -Redis $redis -Function Accounts.Create -ByPropertyName

        $jobs[0].ArgumentList | Should -BeNullOrEmpty
        $jobs[0].Parameters.Name | Should -Be 'ann'
        $jobs[0].Parameters.Age | Should -Be 41
        $jobs[1].Parameters.Name | Should -Be 'bob'
    }

    It 'carries hashtables and PSCustomObjects as maps, and keeps the order of ordered parameters' {
        $job = Submit-ArqJob -Redis $redis -Function ship -ArgumentList ([pscustomobject]@{ Name = 'books'; Weight = 3 }) -Parameters ([ordered]@{ b = 1; a = 2 })

        $job.ArgumentList[0].Name | Should -Be 'books'
        $job.ArgumentList[0].Weight | Should -Be 3
        @($job.Parameters.Keys) | Should -Be @('b', 'a')
    }

    It 'defers a job' {
        $job = Submit-ArqJob -Redis $redis -Function add -ArgumentList 1 -DeferBy (New-TimeSpan -Minutes 5)

        $job.Status | Should -Be 'Deferred'
        $job.DueTime | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(4))
    }

    It 'writes a non-terminating error for a duplicate id and goes on' {
        $first = Submit-ArqJob -Redis $redis -Function add -JobId dup -ArgumentList 1

        $out = 'a', 'b' | Submit-ArqJob -Redis $redis -Function add -JobId dup -ErrorVariable problems -ErrorAction SilentlyContinue

        $first.Id | Should -Be 'dup'
        $out | Should -BeNullOrEmpty
        $problems | Should -HaveCount 2
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'DuplicateJobId*'
    }

    It 'refuses a script block or a live object and names the argument and its type' {
        $out = Submit-ArqJob -Redis $redis -Function run -ArgumentList 1, { Remove-Item / } -ErrorVariable problems -ErrorAction SilentlyContinue
        Submit-ArqJob -Redis $redis -Function run -Parameters @{ file = Get-Item $PSScriptRoot } -ErrorVariable +problems -ErrorAction SilentlyContinue

        $out | Should -BeNullOrEmpty
        $problems[0].Exception.Message | Should -BeLike '*Argument 1*ScriptBlock*never code*'
        $problems[1].Exception.Message | Should -BeLike "*Parameter 'file'*DirectoryInfo*"
        $db.Command('ZCARD', 'arq:queue') | Should -Be '0'
    }

    It 'keeps integer hashtable keys as integers, as Python''s msgpack writes them' {
        $job = Submit-ArqJob -Redis $redis -Function Lookup -ArgumentList @{ 1 = 'a' }

        [Convert]::ToHexString($db.GetBytes("arq:job:$($job.Id)")).ToLower() | Should -BeLike '*a161918101a161*' # a: [{1: 'a'}]
    }

    It 'refuses a value nested deeper than the limit, or one that holds itself, naming the limit' {
        $deep = 1
        for ($i = 0; $i -lt 513; $i++) { $deep = , $deep }
        $itself = [System.Collections.ArrayList]::new()
        $null = $itself.Add($itself)

        Submit-ArqJob -Redis $redis -Function Depth -ArgumentList (, $deep) -ErrorVariable problems -ErrorAction SilentlyContinue
        Submit-ArqJob -Redis $redis -Function Depth -ArgumentList (, $itself) -ErrorVariable +problems -ErrorAction SilentlyContinue

        $problems | Should -HaveCount 2
        $problems | ForEach-Object { $_.Exception.Message | Should -BeLike '*A value nests deeper than 512 levels, the most Arq takes (ArqMessagePack.MaxDepth).' }
        $db.Command('ZCARD', 'arq:queue') | Should -Be '0'
    }

    It 'carries the trace context of an activity started in the session to the job' {
        $activity = [System.Diagnostics.Activity]::new('session').Start()
        try {
            $job = Submit-ArqJob -Redis $redis -Function add -ArgumentList 1, 2
        }
        finally {
            $activity.Stop()
        }

        # The job's sixth key, tp, holds the W3C traceparent the run's span takes as its parent (TelemetryTests).
        $stored = [Text.Encoding]::ASCII.GetString($db.GetBytes("arq:job:$($job.Id)"))
        $stored | Should -BeLike "*tp*$($activity.Id)*"
        $activity.Id | Should -Match "^00-$($activity.TraceId)-[0-9a-f]{16}-0[01]$"
    }

    It 'names host and port when Redis cannot be reached, and never the password' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()

        $problem = { Submit-ArqJob -Redis "127.0.0.1:$port,password=hunter2-secret,connectTimeout=2000" -Function add } |
            Should -Throw -PassThru

        $problem.Exception.Message | Should -BeLike "*127.0.0.1:$port*"
        $problem.Exception.ToString() | Should -Not -BeLike '*hunter2-secret*'
    }

    It 'writes the bytes Python arq writes for <name>' -ForEach $vectorCases {
        $arguments = ConvertFrom-Vector $Decoded.a
        $parameters = ConvertFrom-Vector $Decoded.k

        $job = Submit-ArqJob -Redis $redis -Function $Decoded.f -ArgumentList $arguments -Parameters $parameters

        # Everything but the enqueue time, the last 8 bytes, is byte for byte what Python arq stored.
        $stored = [Convert]::ToHexString($db.GetBytes("arq:job:$($job.Id)")).ToLower()
        $stored.Substring(0, $stored.Length - 16) | Should -Be $Hex.Substring(0, $Hex.Length - 16)
    }
}
