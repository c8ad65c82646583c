using System.Globalization;
using Arq.Protocol;
using StackExchange.Redis;

namespace Arq.Worker;

/// <summary>The worker's Redis calls: each step of the protocol in one round trip.</summary>
internal sealed class WorkerStore(IDatabase redis, ArqWorkerOptions options)
{
    private readonly RedisKey[] claimKeys = options.Queues.Select(q => (RedisKey)q).Append(ArqKeys.Abort).ToArray();
    private readonly long leaseMs = (long)options.LeaseTime.TotalMilliseconds;
    private readonly int readLimit = Math.Max(options.MaxJobs * 5, 100);

    public long Now => UnixTime.Now(options.Clock);

    public async Task<ClaimResult> ClaimAsync(int free, bool fetchAborts)
    {
        var reply = await redis.ScriptEvaluateAsync(ArqScripts.Claim, claimKeys,
        [
            Now, free, leaseMs, options.AllowAbortJobs ? 1 : 0, readLimit, fetchAborts ? 1 : 0,
        ]).ConfigureAwait(false);
        return ClaimResult.Parse(reply, options.Queues);
    }

    /// <summary>Writes the result (unless <paramref name="keepResult"/> is zero) and removes the job.</summary>
    public Task FinishAsync(string jobId, string queue, ResultMessage result, TimeSpan keepResult) =>
        redis.ScriptEvaluateAsync(ArqScripts.Finish,
            [ArqKeys.Result(jobId), ArqKeys.Abort, queue, ArqKeys.InProgress(jobId), ArqKeys.Retry(jobId), ArqKeys.Job(jobId)],
            [jobId, keepResult == TimeSpan.Zero ? RedisValue.EmptyString : result.Encode(), KeepMs(keepResult)]);

    /// <summary>Leaves the job queued for another try, its score raised by <paramref name="scoreIncrement"/> ms.</summary>
    public Task RetryAsync(string jobId, string queue, long scoreIncrement) =>
        redis.ScriptEvaluateAsync(ArqScripts.Retry, [queue, ArqKeys.InProgress(jobId)], [jobId, scoreIncrement]);

    public Task RenewLeasesAsync(IEnumerable<string> jobIds) =>
        redis.ScriptEvaluateAsync(ArqScripts.RenewLeases, [], [leaseMs, .. jobIds.Select(id => (RedisValue)id)]);

    /// <summary>arq's rule for a job enqueued with a higher try number: the retry key follows it.</summary>
    public Task SetTryAsync(string jobId, long @try) =>
        redis.StringSetAsync(ArqKeys.Retry(jobId), @try, TimeSpan.FromSeconds(88400));

    public async Task WriteHealthCheckAsync(WorkerSummary counts, int ongoing)
    {
        var stamp = options.Clock.GetLocalNow().ToString("MMM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var ttl = options.HealthCheckInterval + TimeSpan.FromSeconds(1);
        foreach (var queue in options.Queues)
        {
            var queued = await redis.SortedSetLengthAsync(queue).ConfigureAwait(false);
            var line = $"{stamp} j_complete={counts.Complete} j_failed={counts.Failed} j_retried={counts.Retried} j_ongoing={ongoing} queued={queued}";
            await redis.StringSetAsync(ArqKeys.HealthCheck(queue), line, ttl).ConfigureAwait(false);
        }
    }

    public Task DeleteHealthCheckAsync() =>
        redis.KeyDeleteAsync(options.Queues.Select(ArqKeys.HealthCheck).ToArray());

    private static long KeepMs(TimeSpan keep) =>
        keep == Timeout.InfiniteTimeSpan ? -1 : keep == TimeSpan.Zero ? 0 : Math.Max(1, (long)keep.TotalMilliseconds);
}
