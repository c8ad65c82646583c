using Arq.Protocol;
using StackExchange.Redis;

namespace Arq;

/// <summary>A client's jobs in Redis, by the keys and scripts of docs/protocol.md.</summary>
internal sealed class RedisJobStore(IDatabase redis, TimeProvider clock) : IJobStore
{
    public Task<bool> EnqueueAsync(EnqueueRequest request) => request.SendAsync(redis);

    public async Task<JobStatus> GetStatusAsync(string jobId, string queue)
    {
        var transaction = redis.CreateTransaction();
        var hasResult = transaction.KeyExistsAsync(ArqKeys.Result(jobId));
        var inProgress = transaction.KeyExistsAsync(ArqKeys.InProgress(jobId));
        var score = transaction.SortedSetScoreAsync(queue, jobId);
        await transaction.ExecuteAsync().ConfigureAwait(false);
        if (await hasResult.ConfigureAwait(false)) return JobStatus.Complete;
        if (await inProgress.ConfigureAwait(false)) return JobStatus.InProgress;
        return await score.ConfigureAwait(false) switch
        {
            null or 0 => JobStatus.NotFound,
            var due when due > UnixTime.Now(clock) => JobStatus.Deferred,
            _ => JobStatus.Queued,
        };
    }

    public async Task<StoredJob> ReadAsync(string jobId, string queue, bool withMessage)
    {
        var transaction = redis.CreateTransaction();
        var result = transaction.StringGetAsync(ArqKeys.Result(jobId));
        var job = withMessage ? transaction.StringGetAsync(ArqKeys.Job(jobId)) : Task.FromResult(RedisValue.Null);
        var score = transaction.SortedSetScoreAsync(queue, jobId);
        await transaction.ExecuteAsync().ConfigureAwait(false);
        return new StoredJob((byte[]?)await result.ConfigureAwait(false), (byte[]?)await job.ConfigureAwait(false),
            await score.ConfigureAwait(false) is { } s ? (long)s : null);
    }

    public async Task<byte[]?> GetResultAsync(string jobId) => (byte[]?)await redis.StringGetAsync(ArqKeys.Result(jobId)).ConfigureAwait(false);

    public async Task<byte[]?> GetStreamsAsync(string jobId) => (byte[]?)await redis.StringGetAsync(ArqKeys.Streams(jobId)).ConfigureAwait(false);

    public Task RequestAbortAsync(string jobId, string queue) =>
        redis.ScriptEvaluateAsync(ArqScripts.Abort, [queue, ArqKeys.Abort], [jobId, UnixTime.Now(clock)]);

    public async Task<long> DeleteAsync(string jobId, string queue) =>
        (long)await redis.ScriptEvaluateAsync(ArqScripts.RemoveJob,
            [queue, ArqKeys.Abort, ArqKeys.InProgress(jobId), ArqKeys.Job(jobId), ArqKeys.Retry(jobId), ArqKeys.Result(jobId), ArqKeys.Streams(jobId)],
            [jobId]).ConfigureAwait(false);

    public async Task<IAsyncDisposable> WatchProgressAsync(string jobId, Action<JobProgress> onProgress) =>
        await ProgressWatch.StartAsync(redis.Multiplexer, jobId, clock, onProgress).ConfigureAwait(false);
}
