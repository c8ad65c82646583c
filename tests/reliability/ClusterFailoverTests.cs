using System.Collections.Concurrent;
using System.Net;
using Arq.Protocol;
using Arq.Tests;
using Arq.Worker;
using StackExchange.Redis;

namespace Arq.Reliability;

/// <summary>
/// A real six-node Redis Cluster whose primary dies (SIGKILL) while a worker drains 5,000 jobs from a queue it serves:
/// its replica takes over, the worker follows, and every job completes; only jobs in flight at the kill run again.
/// </summary>
public sealed class ClusterFailoverTests : IDisposable
{
    private const int Jobs = 5_000;
    private const int MaxJobs = 20;
    private readonly RedisTestCluster cluster = RedisTestCluster.Start()
        ?? throw new InvalidOperationException("The reliability suite needs redis-server and redis-cli on PATH.");

    public void Dispose() => cluster.Dispose();

    [Fact]
    public async Task Killing_a_primary_mid_run_loses_no_job_and_runs_again_only_jobs_in_flight()
    {
        await using var redis = await RedisConnector.ConnectAsync(RedisConnector.Parse($"{cluster.ConnectionString},abortConnect=false"));
        var layout = new ArqClientOptions { KeyLayout = KeyLayout.Cluster };
        var client = new ArqClient(redis, layout);
        const string Queue = "failover";
        var keys = QueueKeys.For(Queue, KeyLayout.Cluster);
        var primaryPort = ((IPEndPoint)redis.GetDatabase().IdentifyEndpoint(keys.Queue)!).Port;
        var primary = cluster.Nodes.Single(node => node.Port == primaryPort);
        var replica = cluster.Nodes.Single(node => node.Command("INFO", "replication").Contains($"master_port:{primaryPort}\r", StringComparison.Ordinal));
        var ids = (await client.EnqueueManyAsync(Enumerable.Range(0, Jobs).Select(i => new JobRequest("count", [i], null, new EnqueueOptions { Queue = Queue }))))
            .Select(job => job!.Id).ToList();
        // The replica has every job before the kill (replication is asynchronous: what it lacks then is lost with the primary).
        await Eventually.Until(() => Offset(replica, "slave_repl_offset") >= Offset(primary, "master_repl_offset"), "the replica has every job", TimeSpan.FromSeconds(30));

        var runs = new ConcurrentDictionary<string, int>();
        var functions = new FunctionRegistry().Add("count", async (long i, JobContext context) =>
        {
            runs.AddOrUpdate(context.JobId, 1, (_, n) => n + 1);
            await Task.Delay(2, context.CancellationToken);
            return i;
        });
        var worker = new ArqWorker(redis, functions, new ArqWorkerOptions
        {
            Queues = [Queue], KeyLayout = KeyLayout.Cluster, MaxJobs = MaxJobs, LeaseTime = TimeSpan.FromSeconds(2), PollDelay = TimeSpan.FromMilliseconds(50),
        });
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);

        await Eventually.Until(() => runs.Count >= Jobs / 5, "a fifth of the jobs ran", TimeSpan.FromSeconds(60));
        var ranBeforeKill = runs.Count;
        primary.Dispose(); // SIGKILL
        await Eventually.Until(() => replica.Command("INFO", "replication").Contains("role:master", StringComparison.Ordinal), "the replica took over",
            TimeSpan.FromSeconds(30));
        var lost = await SettleAsync(redis, keys, ids, TimeSpan.FromSeconds(120));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        var ranAgain = runs.Values.Count(n => n > 1);
        Report.Write("Redis Cluster primary killed", ("jobs", Jobs), ("ran before the kill", ranBeforeKill), ("lost", lost), ("ran twice", ranAgain));
        Assert.Equal(0, lost);
        Assert.Equal(Jobs, runs.Count);
        // Jobs in flight at the kill: those running (MaxJobs), and those whose finish the dead primary had taken but
        // not yet passed to its replica (a few milliseconds of finishes, at most a finish batch).
        Assert.InRange(ranAgain, 0, MaxJobs * 3);
    }

    private static long Offset(RedisTestServer node, string field) =>
        node.Command("INFO", "replication").Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(line => long.Parse(line[(field.Length + 1)..])).FirstOrDefault(-1);

    /// <summary>Waits until every job has a successful result; returns how many have none when the time is up.</summary>
    private static async Task<int> SettleAsync(IConnectionMultiplexer redis, QueueKeys keys, List<string> ids, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var database = redis.GetDatabase();
        while (true)
        {
            var unfinished = 0;
            try
            {
                var results = await Task.WhenAll(ids.Select(id => database.StringGetAsync(keys.Result(id))));
                unfinished = results.Count(result => result.IsNull || !ResultMessage.Decode((byte[])result!).Success);
            }
            catch (RedisException)
            {
                unfinished = ids.Count; // the failover is under way: the slot has no primary yet (CLUSTERDOWN), or the client does not know it
            }
            if (unfinished == 0 || cancel.IsCancellationRequested) return unfinished;
            await Task.Delay(200, CancellationToken.None); // polling Redis: no event says "all done"
        }
    }
}
