using Arq.Protocol;
using StackExchange.Redis;

namespace Arq;

/// <summary>A client's jobs in Redis, by the keys and scripts of docs/protocol.md, named in <paramref name="layout"/>.</summary>
internal sealed class RedisJobStore(IDatabase redis, TimeProvider clock, KeyLayout layout) : IJobStore
{
    public Task<bool> EnqueueAsync(EnqueueRequest request) => request.SendAsync(redis, layout);

    public async Task<JobStatus> GetStatusAsync(string jobId, string queue)
    {
        var keys = QueueKeys.For(queue, layout);
        var transaction = redis.CreateTransaction();
        var hasResult = transaction.KeyExistsAsync(keys.Result(jobId));
        var inProgress = transaction.KeyExistsAsync(keys.InProgress(jobId));
        var score = transaction.SortedSetScoreAsync(keys.Queue, jobId);
        var waits = WaitsAsync(transaction, keys, jobId);
        await transaction.ExecuteAsync().ConfigureAwait(false);
        if (await hasResult.ConfigureAwait(false)) return JobStatus.Complete;
        if (await inProgress.ConfigureAwait(false)) return JobStatus.InProgress;
        return await score.ConfigureAwait(false) switch
        {
            null when await waits.ConfigureAwait(false) => JobStatus.Waiting,
            null or 0 => JobStatus.NotFound,
            var due when due > UnixTime.Now(clock) => JobStatus.Deferred,
            _ => JobStatus.Queued,
        };
    }

    public async Task<StoredJob> ReadAsync(string jobId, string queue, bool withMessage)
    {
        var keys = QueueKeys.For(queue, layout);
        var transaction = redis.CreateTransaction();
        var result = transaction.StringGetAsync(keys.Result(jobId));
        var job = withMessage ? transaction.StringGetAsync(keys.Job(jobId)) : Task.FromResult(RedisValue.Null);
        var score = transaction.SortedSetScoreAsync(keys.Queue, jobId);
        var waits = WaitsAsync(transaction, keys, jobId);
        await transaction.ExecuteAsync().ConfigureAwait(false);
        var scored = await score.ConfigureAwait(false) is { } s ? (long?)s : null;
        return new StoredJob((byte[]?)await result.ConfigureAwait(false), (byte[]?)await job.ConfigureAwait(false), scored,
            scored is null && await waits.ConfigureAwait(false));
    }

    /// <summary>Whether the job is a continuation waiting outside its queue: its job key and its after key exist (the
    /// caller asks the queue). Queued in <paramref name="transaction"/>; completes once it has run.</summary>
    private static async Task<bool> WaitsAsync(ITransaction transaction, QueueKeys keys, string jobId)
    {
        var after = transaction.KeyExistsAsync(keys.After(jobId));
        var job = transaction.KeyExistsAsync(keys.Job(jobId));
        return await after.ConfigureAwait(false) && await job.ConfigureAwait(false);
    }

    public async Task<byte[]?> GetResultAsync(string jobId, string queue) =>
        (byte[]?)await redis.StringGetAsync(QueueKeys.For(queue, layout).Result(jobId)).ConfigureAwait(false);

    public async Task<byte[]?> GetStreamsAsync(string jobId, string queue) =>
        (byte[]?)await redis.StringGetAsync(QueueKeys.For(queue, layout).Streams(jobId)).ConfigureAwait(false);

    public Task RequestAbortAsync(string jobId, string queue)
    {
        var keys = QueueKeys.For(queue, layout);
        return redis.ScriptEvaluateAsync(ArqScripts.Abort, [keys.Queue, keys.Abort], [jobId, UnixTime.Now(clock)]);
    }

    public async Task<long> DeleteAsync(string jobId, string queue)
    {
        var keys = QueueKeys.For(queue, layout);
        return (long)await redis.ScriptEvaluateAsync(ArqScripts.RemoveJob,
            [keys.Queue, keys.Abort, keys.InProgress(jobId), keys.Job(jobId), keys.Retry(jobId), keys.Result(jobId), keys.Streams(jobId), keys.Parents, keys.Waiting],
            [jobId]).ConfigureAwait(false);
    }

    public async Task<IAsyncDisposable> WatchProgressAsync(string jobId, Action<JobProgress> onProgress) =>
        await ProgressWatch.StartAsync(redis.Multiplexer, jobId, clock, onProgress).ConfigureAwait(false);
}
