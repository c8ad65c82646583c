using System.Diagnostics;
using Arq.Supervision;
using Arq.Protocol;
using Arq.Tests;
using Arq.Worker;
using StackExchange.Redis;

namespace Arq.Reliability;

/// <summary>
/// Jobs survive the faults a production queue meets: the executor killed again and again, redis-server restarted,
/// Redis paused for longer than a lease. Each scenario reports jobs, faults, lost (must be 0) and ran twice.
/// </summary>
public sealed class FaultTests : IDisposable
{
    private readonly RedisTestServer server = RedisTestServer.StartPrivate("--appendonly", "yes", "--appendfsync", "everysec")
        ?? throw new InvalidOperationException("The reliability suite needs redis-server on PATH.");

    public void Dispose() => server.Dispose();

    private static ProcessStartInfo Executor() => WorkerHostCommand.Executor();

    [Fact]
    public async Task Killing_the_executor_with_SIGKILL_again_and_again_loses_no_job()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var ledger = new Ledger(redis);
        await ledger.EnqueueAsync(10_000, napMilliseconds: 10);
        var settings = new ExecutorSettings
        {
            Redis = server.ConnectionString,
            Worker = new ArqWorkerOptions { MaxJobs = 50, Burst = true, LeaseTime = TimeSpan.FromSeconds(1), PollDelay = TimeSpan.FromMilliseconds(50) },
        };
        var supervisor = new ExecutorSupervisor(Executor(), settings, new SupervisorOptions { RestartDelay = TimeSpan.FromMilliseconds(100), MaxRestarts = 10 });
        var draining = Task.Run(async () => { await foreach (var _ in supervisor.Events.ReadAllAsync()) { } });
        var run = supervisor.RunAsync();

        var kills = 0;
        foreach (var started in new[] { 1_500, 3_500, 5_500, 7_500 })
        {
            await Until(async () => await ledger.StartedAsync() >= started || run.IsCompleted, $"{started} jobs started");
            if (supervisor.ProcessId is not { } executor || run.IsCompleted) break;
            Process.GetProcessById(executor).Kill(); // SIGKILL on Linux and macOS, TerminateProcess on Windows
            kills++;
        }
        var summary = await run.WaitAsync(TimeSpan.FromMinutes(2));
        await draining;
        var (lost, ranTwice) = await ledger.SettleAsync(TimeSpan.FromSeconds(30));

        Report.Write("executor killed with SIGKILL", ("jobs", ledger.Count), ("kills", kills), ("restarts", summary.Restarts), ("lost", lost), ("ran twice", ranTwice));
        Assert.Equal(4, kills);
        Assert.Equal(kills, summary.Restarts);
        Assert.Equal(0, lost);
        Assert.InRange(ranTwice, 0, kills * settings.Worker.MaxJobs); // only jobs in flight at a kill may run again
    }

    [Fact]
    public async Task Restarting_redis_server_mid_run_loses_no_job_and_everyone_reconnects()
    {
        await using var clientRedis = await ConnectionMultiplexer.ConnectAsync($"{server.ConnectionString},abortConnect=false");
        await using var workerRedis = await ConnectionMultiplexer.ConnectAsync($"{server.ConnectionString},abortConnect=false");
        var ledger = new Ledger(clientRedis);
        await ledger.EnqueueAsync(3_000, napMilliseconds: 2);
        var worker = Ledger.CreateWorker(workerRedis, lease: TimeSpan.FromSeconds(2));
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);

        await Until(async () => await ledger.StartedAsync() >= 1_000, "a third of the jobs started");
        server.Restart();
        await ledger.EnqueueAsync(2_000, napMilliseconds: 2); // the client reconnects by itself
        var (lost, ranTwice) = await ledger.SettleAsync(TimeSpan.FromSeconds(90));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Report.Write("redis-server restarted", ("jobs", ledger.Count), ("restarts", 1), ("lost", lost), ("ran twice", ranTwice));
        Assert.True(lost == 0, await ledger.DescribeUnfinishedAsync());
    }

    [Fact]
    public async Task Pausing_redis_for_longer_than_a_lease_loses_no_job_and_the_leases_recover()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{server.ConnectionString},abortConnect=false,allowAdmin=true");
        var ledger = new Ledger(redis);
        await ledger.EnqueueAsync(2_000, napMilliseconds: 20);
        var lease = TimeSpan.FromSeconds(1);
        var worker = Ledger.CreateWorker(redis, lease);
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);

        await Until(async () => await ledger.StartedAsync() >= 500, "a quarter of the jobs started");
        server.Command("CLIENT", "PAUSE", "3000", "ALL"); // three leases long
        var (lost, ranTwice) = await ledger.SettleAsync(TimeSpan.FromSeconds(90));
        await stop.CancelAsync();
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Report.Write("Redis paused for 3 leases", ("jobs", ledger.Count), ("pauses", 1), ("lost", lost), ("ran twice", ranTwice));
        Assert.True(lost == 0, await ledger.DescribeUnfinishedAsync());
        Assert.Equal(ledger.Count + ranTwice, summary.Complete);
    }

    private static Task Until(Func<Task<bool>> condition, string what) => Eventually.Until(condition, what, TimeSpan.FromMinutes(1));

    [Fact]
    public async Task Jobs_that_crash_the_executor_are_found_and_charged_and_no_bystander_pays_a_try()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var ledger = new Ledger(redis);
        await ledger.EnqueueAsync(300, napMilliseconds: 50);
        var client = new ArqClient(redis);
        var crashers = new List<Job>();
        for (var i = 0; i < 3; i++) crashers.Add((await client.EnqueueAsync("Crash", [], null, new EnqueueOptions { DeferBy = TimeSpan.FromMilliseconds(300 * i) }))!);
        var settings = new ExecutorSettings
        {
            Redis = server.ConnectionString,
            Worker = new ArqWorkerOptions { MaxJobs = 20, MaxTries = 2, Burst = true, PollDelay = TimeSpan.FromMilliseconds(50) },
        };
        var supervisor = new ExecutorSupervisor(Executor(), settings, new SupervisorOptions { RestartDelay = TimeSpan.FromMilliseconds(100) });
        var warnings = Task.Run(async () =>
        {
            var lines = new List<string>();
            await foreach (var e in supervisor.Events.ReadAllAsync()) if (e is ExecutorEvent.Log { Level: ExecutorLogLevel.Warning } log) lines.Add(log.Message);
            return lines;
        });

        var summary = await supervisor.RunAsync().WaitAsync(TimeSpan.FromMinutes(3));
        var died = (await warnings).Where(line => line.StartsWith("The executor died", StringComparison.Ordinal)).ToList();
        var (lost, ranTwice) = await ledger.SettleAsync(TimeSpan.FromSeconds(30));
        var charged = await ledger.ChargedAsync();
        var crasherErrors = await Task.WhenAll(crashers.Select(async job => (await job.GetResultInfoAsync())?.Error?.Type));

        Report.Write("jobs that crash the executor", ("jobs", ledger.Count), ("crashers", crashers.Count), ("crashes", summary.Restarts),
            ("lost", lost), ("bystanders charged", charged), ("ran twice", ranTwice));
        Assert.Equal(0, lost);
        Assert.Equal(0, charged);
        Assert.All(crasherErrors, type => Assert.Equal(JobErrorTypes.MaxTriesExceeded, type));
        Assert.All(crashers, job => Assert.Contains(died, line => line.Contains($"{job.Id} (Crash)", StringComparison.Ordinal)));
        Assert.InRange(summary.Restarts, crashers.Count * 2, crashers.Count * 3); // each runs MaxTries times, the first perhaps beside others
    }

    [Fact]
    public async Task Scores_out_of_range_in_a_queue_harm_no_job_and_stop_no_worker()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var ledger = new Ledger(redis);
        await ledger.EnqueueAsync(1_000, napMilliseconds: 1);
        var db = redis.GetDatabase();
        // Entries a Python producer or a careless script may write: "run first" as -inf, a score past any date.
        await db.SortedSetAddAsync(ArqKeys.DefaultQueue, [new("poison-negative-infinity", double.NegativeInfinity), new("poison-far-past", -1e300), new("poison-far-future", 1e300)]);
        var worker = Ledger.CreateWorker(redis, TimeSpan.FromSeconds(5));
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);

        var (lost, ranTwice) = await ledger.SettleAsync(TimeSpan.FromSeconds(60));
        var charged = await ledger.ChargedAsync();
        var poisonResults = await Task.WhenAll(new[] { "poison-negative-infinity", "poison-far-past" }.Select(id => new ArqClient(redis).GetJob(id).GetResultInfoAsync()));
        await stop.CancelAsync();
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Report.Write("scores out of range", ("jobs", ledger.Count), ("poison entries", 3), ("lost", lost), ("bystanders charged", charged), ("ran twice", ranTwice));
        Assert.Equal(0, lost);
        Assert.Equal(0, charged);
        Assert.All(poisonResults, result => Assert.Equal(JobErrorTypes.JobExpired, result?.Error?.Type));
        Assert.Equal(ledger.Count, summary.Complete);
    }
}
