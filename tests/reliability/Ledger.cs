using Arq.Protocol;
using Arq.Worker;
using Arq.WorkerHost;
using StackExchange.Redis;

namespace Arq.Reliability;

/// <summary>
/// Enqueues a batch of Sleeper.Nap jobs (which count their runs in the hash <c>test:runs</c>) and afterwards tells
/// how many never completed and how many ran more than once.
/// </summary>
public sealed class Ledger(IConnectionMultiplexer redis)
{
    private readonly ArqClient client = new(redis);
    private readonly List<string> ids = [];

    public int Count => ids.Count;

    public async Task EnqueueAsync(int count, long napMilliseconds)
    {
        var jobs = await client.EnqueueManyAsync(Enumerable.Range(0, count).Select(_ => new JobRequest("Sleeper.Nap", [napMilliseconds])));
        ids.AddRange(jobs.Select(job => job!.Id));
    }

    /// <summary>A worker in this process that runs the ledger's jobs over <paramref name="workerRedis"/>: 50 at a time,
    /// with a short <paramref name="lease"/> and a 50 ms poll, so that faults show within seconds.</summary>
    public static ArqWorker CreateWorker(IConnectionMultiplexer workerRedis, TimeSpan lease)
    {
        var functions = new FunctionRegistry();
        TestFunctions.Register(functions, workerRedis.GetDatabase());
        return new ArqWorker(workerRedis, functions, new ArqWorkerOptions { MaxJobs = 50, LeaseTime = lease, PollDelay = TimeSpan.FromMilliseconds(50) });
    }

    /// <summary>How many jobs have started at least once.</summary>
    public Task<long> StartedAsync() => redis.GetDatabase().HashLengthAsync("test:runs");

    /// <summary>Waits until every job has a successful result, or the time is up.</summary>
    public async Task<(long Lost, long RanTwice)> SettleAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        long lost;
        while ((lost = await CountUnfinishedAsync()) > 0 && !cancel.IsCancellationRequested)
            await Task.Delay(100, CancellationToken.None); // polling Redis: no event says "all done"
        var runs = await redis.GetDatabase().HashValuesAsync("test:runs");
        return (lost, runs.Count(r => (long)r > 1));
    }

    /// <summary>How many jobs finished on a later try than their first (Sleeper.Nap returns its try): each paid for
    /// something that was not its own failure, since a nap does not fail.</summary>
    public async Task<long> ChargedAsync()
    {
        var database = redis.GetDatabase();
        var results = await Task.WhenAll(ids.Select(id => database.StringGetAsync(ArqKeys.Result(id))));
        return results.Count(r => !r.IsNull && ResultMessage.Decode((byte[])r!) is { Success: true } result && result.Result.Deserialize<long>() > 1);
    }

    private async Task<long> CountUnfinishedAsync() => (await UnfinishedAsync()).Count;

    private async Task<List<string>> UnfinishedAsync()
    {
        var database = redis.GetDatabase();
        var results = await Task.WhenAll(ids.Select(id => database.StringGetAsync(ArqKeys.Result(id))));
        return ids.Where((id, i) => results[i].IsNull || !ResultMessage.Decode((byte[])results[i]!).Success).ToList();
    }

    private static string Describe(RedisValue result) =>
        result.IsNull ? "none" : ResultMessage.Decode((byte[])result!) is var r ? $"{(r.Success ? "success" : "failure")} try {r.Try}: {r.Result}" : "";

    /// <summary>Where the first unfinished jobs stand in Redis, for a failure message.</summary>
    public async Task<string> DescribeUnfinishedAsync()
    {
        var database = redis.GetDatabase();
        var lines = new List<string>();
        foreach (var id in (await UnfinishedAsync()).Take(5))
        {
            lines.Add($"{id}: job key {await database.KeyExistsAsync(ArqKeys.Job(id))}, in progress {await database.KeyTimeToLiveAsync(ArqKeys.InProgress(id))}, " +
                $"score {await database.SortedSetScoreAsync(ArqKeys.DefaultQueue, id)}, retry {await database.StringGetAsync(ArqKeys.Retry(id))}, " +
                $"runs {await database.HashGetAsync("test:runs", id)}, result {Describe(await database.StringGetAsync(ArqKeys.Result(id)))}");
        }
        return string.Join(Environment.NewLine, lines);
    }
}
