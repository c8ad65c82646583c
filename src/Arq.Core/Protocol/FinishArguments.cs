using System.Globalization;
using StackExchange.Redis;

namespace Arq.Protocol;

/// <summary>
/// The KEYS and ARGV of <see cref="ArqScripts.Finish"/> for a batch of jobs of one queue, in the order finish.lua reads
/// them: the queue's keys and the dead letters' settings, then each job's keys and values, each followed by its
/// children's. The one place that knows that layout on this side of the script.
/// </summary>
internal sealed class FinishArguments
{
    /// <summary>The queue's keys and the values for the whole call, before the jobs'.</summary>
    public const int QueueKeys = 8, CallValues = 3;

    /// <summary>The keys and values of a job (its children key comes after its keys when its children are given), and
    /// the keys of each of its children (a value each: its id).</summary>
    public const int KeysPerJob = 4, ValuesPerJob = 6, KeysPerChild = 3;

    private readonly Protocol.QueueKeys queue;
    private readonly KeyLayout layout;
    private readonly bool keepDead;
    private readonly List<RedisKey> keys;
    private readonly List<RedisValue> values;

    /// <param name="queue">The queue whose jobs finish.</param>
    /// <param name="jobs">How many jobs the batch will hold (a capacity, not a limit).</param>
    /// <param name="now">The time of the finish, Unix ms: the dead letters' clock.</param>
    /// <param name="deadLetters">How many failed jobs the queue keeps as dead letters (0: none), and how long.</param>
    public FinishArguments(Protocol.QueueKeys queue, int jobs, long now, (int Count, TimeSpan Age) deadLetters)
    {
        this.queue = queue;
        layout = queue.Layout;
        keepDead = deadLetters.Count > 0;
        keys = new List<RedisKey>(QueueKeys + jobs * KeysPerJob)
        {
            queue.Queue, queue.Abort, queue.Stats, queue.Failures, queue.Completed, queue.DeadLetters, queue.DeadLetterTimes, queue.Parents,
        };
        values = new List<RedisValue>(CallValues + jobs * ValuesPerJob) { now, deadLetters.Count, (long)deadLetters.Age.TotalMilliseconds };
    }

    /// <summary>Adds a job of the queue to the batch.</summary>
    /// <param name="jobId">The finished job.</param>
    /// <param name="cron">A cron run: its in-progress key is kept 60 s rather than deleted.</param>
    /// <param name="success">Counted as complete, or as failed (listed in the queue's failures, kept as a dead letter).</param>
    /// <param name="keep">How long the result is kept: zero for no result, <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <param name="result">The encoded result; ignored when it is not kept or <paramref name="writtenBeside"/>, unless
    /// the job failed and the queue keeps dead letters.</param>
    /// <param name="writtenBeside">The caller SETs the result itself beside the script (a large one).</param>
    /// <param name="children">The job's continuations, as read from its children key, with their queues; null when
    /// not read (the script returns the jobs that have some, to be given them).</param>
    public FinishArguments Add(string jobId, bool cron, bool success, TimeSpan keep, RedisValue result, bool writtenBeside,
        IReadOnlyCollection<(string Id, string Queue)>? children = null)
    {
        keys.AddRange([queue.Result(jobId), queue.InProgress(jobId), queue.Retry(jobId), queue.Job(jobId)]);
        values.AddRange([jobId, cron ? 1 : 0, success ? 1 : 0,
            keep == TimeSpan.Zero ? "0" : writtenBeside ? "x" : KeepMs(keep),
            (keep != TimeSpan.Zero && !writtenBeside) || (!success && keepDead) ? result : RedisValue.EmptyString,
            children?.Count ?? -1]);
        if (children is null) return this;
        keys.Add(queue.Children(jobId));
        foreach (var (id, childQueue) in children)
        {
            var keysOfChild = Protocol.QueueKeys.For(childQueue, layout);
            keys.AddRange([keysOfChild.After(id), keysOfChild.Queue, keysOfChild.Waiting]);
            values.Add(id);
        }
        return this;
    }

    public RedisKey[] Keys => [.. keys];

    public RedisValue[] Values => [.. values];

    private static string KeepMs(TimeSpan keep) =>
        keep == Timeout.InfiniteTimeSpan ? "-1" : ((long)keep.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
