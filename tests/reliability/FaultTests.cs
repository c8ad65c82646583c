using System.Diagnostics;
using Arq.Hosting;
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

    private static ProcessStartInfo Executor()
    {
        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Arq.WorkerHost.dll"));
        start.ArgumentList.Add("executor");
        return start;
    }

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
}
