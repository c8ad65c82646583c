using System.Diagnostics;
using Arq.Tests;
using StackExchange.Redis;

namespace Arq.Reliability;

/// <summary>
/// Redis Sentinel for high availability: one master, one replica and one sentinel on loopback, the master failed
/// over while a worker runs; the worker follows the new master and every job completes.
/// </summary>
public sealed class SentinelTests : IDisposable
{
    private const string Service = "arq-master";
    private readonly RedisTestServer master;
    private readonly RedisTestServer replica;
    private readonly Process sentinel;
    private readonly string sentinelFolder = Directory.CreateTempSubdirectory("arq-sentinel-").FullName;
    private readonly int sentinelPort = RedisTestServer.FreePort();

    public SentinelTests()
    {
        master = RedisTestServer.StartPrivate() ?? throw new InvalidOperationException("The reliability suite needs redis-server on PATH.");
        replica = RedisTestServer.StartPrivate("--replicaof", master.Host, master.Port.ToString())!;
        var configuration = Path.Combine(sentinelFolder, "sentinel.conf");
        File.WriteAllLines(configuration,
        [
            $"port {sentinelPort}",
            "bind 127.0.0.1",
            $"dir {sentinelFolder}",
            $"sentinel monitor {Service} {master.Host} {master.Port} 1",
            $"sentinel down-after-milliseconds {Service} 1000",
            $"sentinel failover-timeout {Service} 5000",
        ]);
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { configuration, "--sentinel" }) start.ArgumentList.Add(argument);
        sentinel = Process.Start(start)!;
        sentinel.OutputDataReceived += (_, _) => { };
        sentinel.BeginOutputReadLine();
    }

    public void Dispose()
    {
        if (!sentinel.HasExited) sentinel.Kill();
        sentinel.WaitForExit();
        replica.Dispose();
        master.Dispose();
        Directory.Delete(sentinelFolder, recursive: true);
    }

    [Fact]
    public async Task A_worker_follows_a_failover_and_every_job_completes()
    {
        var connection = $"127.0.0.1:{sentinelPort},serviceName={Service},abortConnect=false";
        await WaitAsync(() => master.Command("INFO", "replication").Contains("connected_slaves:1"), "the replica is in sync");
        await WaitAsync(() => TrySentinel("SENTINEL", "GET-MASTER-ADDR-BY-NAME", Service).Contains(master.Port.ToString()), "the sentinel watches the master");
        await using var redis = await RedisConnector.ConnectAsync(RedisConnector.Parse(connection));
        var ledger = new Ledger(redis);
        await ledger.EnqueueAsync(2_000, napMilliseconds: 5);
        await redis.GetDatabase().ExecuteAsync("WAIT", 1, 5000); // the replica has every job before the failover
        var worker = Ledger.CreateWorker(redis, lease: TimeSpan.FromSeconds(2));
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);

        await WaitAsync(async () => await ledger.StartedAsync() >= 500, "a quarter of the jobs started");
        Assert.Equal("OK", Sentinel("SENTINEL", "FAILOVER", Service));
        await WaitAsync(() => Sentinel("SENTINEL", "GET-MASTER-ADDR-BY-NAME", Service).Contains(replica.Port.ToString()), "the replica is the master");
        var (lost, ranTwice) = await ledger.SettleAsync(TimeSpan.FromSeconds(90));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Report.Write("Sentinel failover", ("jobs", ledger.Count), ("failovers", 1), ("lost", lost), ("ran twice", ranTwice));
        Assert.True(lost == 0, await ledger.DescribeUnfinishedAsync());
        Assert.Contains($"{replica.Port}", string.Join(",", redis.GetEndPoints().Select(e => e.ToString())));
    }

    private string Sentinel(params string[] command) => RedisTestServer.CommandAt(sentinelPort, command);

    /// <summary>The sentinel's reply, or nothing while it is not listening yet.</summary>
    private string TrySentinel(params string[] command)
    {
        try
        {
            return Sentinel(command);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or InvalidOperationException or IOException)
        {
            return "";
        }
    }

    private static Task WaitAsync(Func<bool> condition, string what) => Eventually.Until(condition, what, TimeSpan.FromSeconds(60));

    private static Task WaitAsync(Func<Task<bool>> condition, string what) => Eventually.Until(condition, what, TimeSpan.FromSeconds(60));
}
