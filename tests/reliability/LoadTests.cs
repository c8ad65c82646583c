using System.Diagnostics;
using Arq.Protocol;
using Arq.Tests;
using Arq.Tests.Worker;
using Arq.Worker;
using StackExchange.Redis;

namespace Arq.Reliability;

/// <summary>Scale-out over several worker processes, and a flood of bad messages among good jobs.</summary>
public sealed class LoadTests : IDisposable
{
    private readonly RedisTestServer server = RedisTestServer.StartPrivate()
        ?? throw new InvalidOperationException("The reliability suite needs redis-server on PATH.");

    public void Dispose() => server.Dispose();

    [Fact]
    public async Task Four_worker_processes_on_one_queue_run_each_of_20000_jobs_once()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var ledger = new Ledger(redis);
        await ledger.EnqueueAsync(20_000, napMilliseconds: 0);

        var workers = Enumerable.Range(0, 4).Select(_ => StartWorkerProcess()).ToList();
        foreach (var worker in workers) await worker.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var (lost, ranTwice) = await ledger.SettleAsync(TimeSpan.FromSeconds(10));
        var runs = await redis.GetDatabase().HashLengthAsync("test:runs");

        Report.Write("four worker processes", ("jobs", ledger.Count), ("workers", workers.Count), ("lost", lost), ("ran twice", ranTwice));
        Assert.All(workers, w => Assert.Equal(0, w.ExitCode));
        Assert.Equal(0, lost);
        Assert.Equal(0, ranTwice);
        Assert.Equal(ledger.Count, runs);
    }

    [Fact]
    public async Task A_thousand_bad_messages_of_every_kind_fail_clearly_and_the_good_jobs_among_them_run()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var database = redis.GetDatabase();
        var client = new ArqClient(redis);
        var bad = new List<(string Id, string Error)>();
        var good = new List<Job>();
        for (var i = 0; i < 1_000; i++)
        {
            var (kind, bytes, error) = BadMessages.Kinds[i % BadMessages.Kinds.Count];
            var id = $"bad:{i}:{kind}";
            await database.StringSetAsync(ArqKeys.Job(id), bytes);
            await database.SortedSetAddAsync(ArqKeys.DefaultQueue, id, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            bad.Add((id, error));
            good.Add((await client.EnqueueAsync("Calculator.Add", i, 1))!);
        }
        var functions = new FunctionRegistry().AddActor<Calculator>();

        var summary = await new ArqWorker(redis, functions, new ArqWorkerOptions { MaxJobs = 50, Burst = true, PollDelay = TimeSpan.FromMilliseconds(50), MaxJobBytes = BadMessages.MaxJobBytes })
            .RunAsync().WaitAsync(TimeSpan.FromMinutes(2));

        var wrong = 0;
        foreach (var (id, error) in bad)
        {
            var result = ResultMessage.Decode((byte[])(await database.StringGetAsync(ArqKeys.Result(id)))!);
            if (result.Success || result.Result.Deserialize<string>() != error) wrong++;
        }
        var goodResults = await Task.WhenAll(good.Select(job => job.GetResultAsync<long>()));
        Report.Write("bad messages among good jobs", ("bad messages tried", bad.Count), ("kinds", BadMessages.Kinds.Count),
            ("good jobs", good.Count), ("failed with the expected error", bad.Count - wrong), ("lost", good.Count - summary.Complete));
        Assert.Equal(0, wrong);
        Assert.Equal(Enumerable.Range(1, 1_000).Select(i => (long)i), goodResults);
        Assert.Equal((1_000L, 1_000L), (summary.Complete, summary.Failed));
    }

    private Process StartWorkerProcess()
    {
        var start = WorkerHostCommand.Worker(server.ConnectionString, TimeSpan.FromSeconds(5), 50, burst: true);
        start.RedirectStandardOutput = true;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }
}
