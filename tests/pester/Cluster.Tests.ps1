BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $actors = Join-Path $PSScriptRoot 'actors/actors.ps1'
}

Describe 'The cmdlets on a Redis Cluster' {
    BeforeAll {
        # Six redis-server processes (three primaries, a replica each), made a cluster by redis-cli --cluster create.
        $cluster = [Arq.Tests.RedisTestCluster]::Start()
        $node = $cluster.Nodes[0].ConnectionString
    }
    AfterAll { $cluster.Dispose() }

    It 'submits, runs and receives jobs of several queues given one node, in the cluster layout without being told' {
        $queues = 'emails', 'reports', 'invoices'
        $jobs = $queues | ForEach-Object { Submit-ArqJob -Redis $node -Function Square -ArgumentList 7 -Queue $_ }

        $summary = Start-ArqWorker -Redis $node -Path $actors -Queue $queues -Burst

        $summary.Complete | Should -Be 3
        $jobs | Receive-ArqJob | Should -Be 49, 49, 49
        # Each queue's keys carry its hash tag: asked directly, one primary holds the keys of the slot of {emails}.
        $slot = $cluster.Nodes[0].Command('CLUSTER', 'KEYSLOT', '{emails}')
        @($cluster.Primaries | Where-Object { [long] $_.Command('CLUSTER', 'COUNTKEYSINSLOT', $slot) -gt 0 }).Count | Should -Be 1
        (Get-ArqQueue -Redis $node).Name | Should -Be ($queues | Sort-Object) # named by the client and the worker: no scan
    }
}
