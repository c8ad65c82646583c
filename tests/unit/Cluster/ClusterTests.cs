using Arq.Protocol;
using Arq.Worker;
using StackExchange.Redis;

namespace Arq.Tests.Cluster;

/// <summary>Queues in the cluster key layout on a real Redis Cluster: each queue in one slot, queues spread over the
/// primaries, one worker running them all.</summary>
public sealed class ClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static readonly ArqClientOptions ClusterClient = new() { KeyLayout = KeyLayout.Cluster };

    private RedisTestCluster Cluster
    {
        get
        {
            Assert.SkipWhen(fixture.Cluster is null, "The cluster tests need redis-server and redis-cli on PATH.");
            return fixture.Cluster!;
        }
    }

    [Fact]
    public async Task Jobs_of_three_queues_land_on_three_primaries_and_one_worker_runs_them_all()
    {
        await using var client = await ArqClient.ConnectAsync(Cluster.ConnectionString, ClusterClient);
        var queues = QueuesOnDistinctPrimaries(client.Connection, 3, "spread");
        var jobs = new List<(string Queue, Job Job, long Sum)>();
        foreach (var queue in queues)
            for (var i = 0; i < 20; i++)
                jobs.Add((queue, (await client.EnqueueAsync("add", [i, 1000], null, new EnqueueOptions { Queue = queue }))!, i + 1000));

        // Each queue's keys are in its own slot, served by its own primary: asked directly, only that primary holds them.
        var owners = queues.Select(queue => Cluster.Primaries.Single(node => KeysInSlot(node, "{" + queue + "}") > 0)).ToList();
        Assert.Equal(3, owners.Select(node => node.Port).Distinct().Count());

        var summary = await RunBurstAsync(client.Connection, queues);

        Assert.Equal(60, summary.Complete);
        foreach (var (queue, job, sum) in jobs)
        {
            Assert.Equal(queue, job.Queue);
            Assert.Equal(sum, await job.GetResultAsync<long>(TimeSpan.Zero));
        }
    }

    [Fact]
    public async Task A_worker_given_one_node_finds_the_others_and_runs_jobs_on_every_shard()
    {
        var first = Cluster.Nodes[0];
        await using var client = await ArqClient.ConnectAsync(first.ConnectionString, ClusterClient);
        var queues = QueuesOnDistinctPrimaries(client.Connection, 3, "found");
        var jobs = new List<Job>();
        foreach (var queue in queues) jobs.Add((await client.EnqueueAsync("add", [1, 2], null, new EnqueueOptions { Queue = queue }))!);

        await using var workerConnection = await RedisConnector.ConnectAsync(RedisConnector.Parse(first.ConnectionString));
        var summary = await RunBurstAsync(workerConnection, queues);

        Assert.Equal(3, summary.Complete);
        Assert.Equal(Cluster.Nodes.Select(n => n.Port).Order(), workerConnection.GetServers().Select(s => ((System.Net.IPEndPoint)s.EndPoint).Port).Order()); // every node, from one address
        foreach (var job in jobs) Assert.Equal(3L, await job.GetResultAsync<long>(TimeSpan.Zero));
    }

    [Fact]
    public async Task Views_and_job_handles_read_a_cluster_queue_without_a_scan()
    {
        await using var client = await ArqClient.ConnectAsync(Cluster.ConnectionString, ClusterClient);
        var queue = QueuesOnDistinctPrimaries(client.Connection, 1, "views")[0];
        var due = (await client.EnqueueAsync("add", [1, 1], null, new EnqueueOptions { Queue = queue }))!;
        var later = (await client.EnqueueAsync("add", [2, 2], null, new EnqueueOptions { Queue = queue, DeferBy = TimeSpan.FromHours(1) }))!;

        var info = await client.GetQueue(queue).GetInfoAsync();
        var page = await client.GetQueue(queue).GetPageAsync(JobListing.Deferred);

        Assert.Equal((1L, 1L, 0L), (info.Queued, info.Deferred, info.InProgress));
        Assert.Equal([later.Id], page.Jobs.Select(j => j.Job.Id));
        Assert.Equal(JobStatus.Queued, await due.GetStatusAsync());
        await later.RequestAbortAsync(); // the abort script, given both keys it touches
        Assert.Equal(JobStatus.Queued, await later.GetStatusAsync()); // made due, so that a worker sees the abort at once
        Assert.True(await due.DeleteAsync());
        Assert.Equal(1, await client.GetQueue(queue).ClearAsync());
        Assert.Equal(0, (await client.GetQueue(queue).GetInfoAsync()).Queued);
    }

    [Fact]
    public async Task Arqs_own_key_layout_is_refused_on_a_cluster_with_a_message_that_says_what_to_set()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ArqClient.ConnectAsync(Cluster.ConnectionString));
        await using var connection = await RedisConnector.ConnectAsync(RedisConnector.Parse(Cluster.ConnectionString));
        var workerError = Assert.Throws<ArgumentException>(() => new ArqWorker(connection, new FunctionRegistry().Add("f", () => 1)));

        Assert.Contains("is a Redis Cluster", error.Message);
        Assert.Contains("KeyLayout = KeyLayout.Cluster", error.Message);
        Assert.Contains(Cluster.Nodes[0].ConnectionString, error.Message);
        Assert.Equal(error.Message, workerError.Message);
    }

    [Fact]
    public async Task The_queues_of_a_cluster_are_found_without_a_scan()
    {
        await using var client = await ArqClient.ConnectAsync(Cluster.ConnectionString, ClusterClient);
        var queues = QueuesOnDistinctPrimaries(client.Connection, 2, "listed");
        await client.EnqueueAsync("add", [1, 2], null, new EnqueueOptions { Queue = queues[0] });
        await using var workerConnection = await RedisConnector.ConnectAsync(RedisConnector.Parse(Cluster.ConnectionString));
        var worker = new ArqWorker(workerConnection, new FunctionRegistry().Add("add", (long a, long b) => a + b),
            new ArqWorkerOptions { Queues = [queues[1]], KeyLayout = KeyLayout.Cluster, Burst = true });
        await worker.RunAsync().WaitAsync(TimeSpan.FromSeconds(30)); // an empty queue, named by its worker

        var found = await client.FindQueuesAsync();

        Assert.Contains(queues[0], found);
        Assert.Contains(queues[1], found);
        Assert.DoesNotContain(found, name => name.Contains('{')); // names, not keys
    }

    [Fact]
    public async Task Cron_jobs_run_and_publish_their_schedule_on_a_cluster_queue()
    {
        await using var client = await ArqClient.ConnectAsync(Cluster.ConnectionString, ClusterClient);
        var queue = QueuesOnDistinctPrimaries(client.Connection, 1, "cron")[0];
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var functions = new FunctionRegistry().AddCron("tick", "0 3 * * *", () => ran.TrySetResult(), new CronOptions { RunAtStartup = true });
        var worker = new ArqWorker(client.Connection, functions, new ArqWorkerOptions { Queues = [queue], KeyLayout = KeyLayout.Cluster, PollDelay = TimeSpan.FromMilliseconds(50) });
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);

        await ran.Task.WaitAsync(TimeSpan.FromSeconds(30)); // enqueued by the worker in the cluster layout, then run
        await Eventually.Until(async () => (await client.GetQueue(queue).GetCronJobsAsync()).Count == 1, "the cron schedule is published");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("cron:tick", (await client.GetQueue(queue).GetCronJobsAsync()).Single().Name);
    }

    [Fact]
    public async Task A_cluster_queue_keeps_its_rate_limit_its_continuations_and_its_dead_letters_in_its_slot()
    {
        await using var client = await ArqClient.ConnectAsync(Cluster.ConnectionString, ClusterClient);
        var queues = QueuesOnDistinctPrimaries(client.Connection, 2, "flow");
        var on = new EnqueueOptions { Queue = queues[0] };
        var parent = (await client.EnqueueAsync("add", [1, 2], null, on))!;
        var child = (await client.EnqueueAsync("add", [3, 4], null, on with { After = [parent.Id] }))!;
        var failing = (await client.EnqueueAsync("missing", [], null, on))!;
        var elsewhere = await Assert.ThrowsAsync<ArgumentException>(() => client.EnqueueAsync("add", [5, 6], null, new EnqueueOptions { Queue = queues[1], After = [parent.Id] }));

        var functions = new FunctionRegistry().Add("add", (long a, long b) => a + b);
        var options = new ArqWorkerOptions { Queues = [queues[0]], KeyLayout = KeyLayout.Cluster, Burst = true, PollDelay = TimeSpan.FromMilliseconds(50), RateLimit = RateLimit.Parse("100/s") };
        var summary = await new ArqWorker(client.Connection, functions, options).RunAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal((2, 1), (summary.Complete, summary.Failed));
        Assert.Equal(7L, await child.GetResultAsync<long>(TimeSpan.Zero));
        Assert.Contains($"or it is not in the queue {queues[1]}: under the cluster key layout a job runs after jobs of its own queue", elsewhere.Message);
        var dead = await client.GetQueue(queues[0]).GetPageAsync(JobListing.Failed);
        Assert.Equal(failing.Id, Assert.Single(dead.Jobs).Job.Id);
        Assert.Equal(3L, await client.Connection.GetDatabase().SortedSetLengthAsync(QueueKeys.For(queues[0], KeyLayout.Cluster).Rate)); // three starts
    }

    private static async Task<WorkerSummary> RunBurstAsync(IConnectionMultiplexer connection, IReadOnlyList<string> queues)
    {
        var functions = new FunctionRegistry().Add("add", (long a, long b) => a + b);
        var worker = new ArqWorker(connection, functions, new ArqWorkerOptions { Queues = queues, KeyLayout = KeyLayout.Cluster, Burst = true, PollDelay = TimeSpan.FromMilliseconds(50) });
        return await worker.RunAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Names of queues (<paramref name="prefix"/>-0, -1...) whose slots three different primaries serve, by the
    /// cluster's slot map as the client knows it; each test its own names, so tests do not share queues.</summary>
    private static List<string> QueuesOnDistinctPrimaries(IConnectionMultiplexer connection, int count, string prefix)
    {
        var database = connection.GetDatabase();
        var chosen = new Dictionary<string, string>();
        for (var i = 0; chosen.Count < count; i++)
        {
            var queue = $"{prefix}-{Guid.NewGuid():N}-{i}";
            var primary = database.IdentifyEndpoint(QueueKeys.For(queue, KeyLayout.Cluster).Queue)!.ToString()!;
            if (!chosen.ContainsKey(primary)) chosen[primary] = queue;
        }
        return [.. chosen.Values];
    }

    private static long KeysInSlot(RedisTestServer node, string key) =>
        long.Parse(node.Command("CLUSTER", "COUNTKEYSINSLOT", node.Command("CLUSTER", "KEYSLOT", key)));
}
