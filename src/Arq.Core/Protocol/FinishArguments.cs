using System.Globalization;
using StackExchange.Redis;

namespace Arq.Protocol;

/// <summary>
/// The KEYS and ARGV of <see cref="ArqScripts.Finish"/> for a batch of jobs of one queue, in the order finish.lua reads
/// them: the queue's keys, then <see cref="KeysPerJob"/> keys and <see cref="Stride"/> values a job. The one place
/// that knows that layout on this side of the script.
/// </summary>
internal sealed class FinishArguments
{
    /// <summary>The values each job takes; finish.lua steps through ARGV by the same number.</summary>
    public const int Stride = 5;

    /// <summary>The keys each job takes, after the queue's five.</summary>
    public const int KeysPerJob = 4;

    private readonly QueueKeys queue;
    private readonly List<RedisKey> keys;
    private readonly List<RedisValue> values;

    public FinishArguments(QueueKeys queue, int jobs)
    {
        this.queue = queue;
        keys = new List<RedisKey>(5 + jobs * KeysPerJob) { queue.Queue, queue.Abort, queue.Stats, queue.Failures, queue.Completed };
        values = new List<RedisValue>(jobs * Stride);
    }

    /// <summary>Adds a job of the queue to the batch.</summary>
    /// <param name="jobId">The finished job.</param>
    /// <param name="cron">A cron run: its in-progress key is kept 60 s rather than deleted.</param>
    /// <param name="success">Counted as complete, or as failed (and listed in the queue's failures).</param>
    /// <param name="keep">How long the result is kept: zero for no result, <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <param name="result">The encoded result; ignored when it is not kept or <paramref name="writtenBeside"/>.</param>
    /// <param name="writtenBeside">The caller SETs the result itself beside the script (a large one).</param>
    public FinishArguments Add(string jobId, bool cron, bool success, TimeSpan keep, RedisValue result, bool writtenBeside)
    {
        keys.AddRange([queue.Result(jobId), queue.InProgress(jobId), queue.Retry(jobId), queue.Job(jobId)]);
        values.AddRange([jobId, cron ? 1 : 0, success ? 1 : 0,
            keep == TimeSpan.Zero ? "0" : writtenBeside ? "x" : KeepMs(keep),
            keep != TimeSpan.Zero && !writtenBeside ? result : RedisValue.EmptyString]);
        return this;
    }

    public RedisKey[] Keys => [.. keys];

    public RedisValue[] Values => [.. values];

    private static string KeepMs(TimeSpan keep) =>
        keep == Timeout.InfiniteTimeSpan ? "-1" : ((long)keep.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
