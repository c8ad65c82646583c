using StackExchange.Redis;

namespace Arq.Protocol;

/// <summary>
/// The Redis key names of arq 0.26 (docs/protocol.md §2). The job, in-progress, retry, result and abort keys are
/// global: a job id is unique across all queues. A queue name is the Redis key of its sorted set, used as-is.
/// </summary>
public static class ArqKeys
{
    /// <summary>The queue that arq and Arq use when none is named.</summary>
    public const string DefaultQueue = "arq:queue";

    /// <summary>The sorted set of ids whose abort was requested.</summary>
    public const string Abort = "arq:abort";

    internal const string JobPrefix = "arq:job:";
    internal const string Parents = "arq:parents";
    internal const string InProgressPrefix = "arq:in-progress:";
    internal const string RetryPrefix = "arq:retry:";
    internal const string ResultPrefix = "arq:result:";
    internal const string StreamsPrefix = "arq:streams:";
    internal const string HealthCheckSuffix = ":health-check";
    internal const string CronScheduleSuffix = ":cron";
    internal const string StatsSuffix = ":stats";
    internal const string FailuresSuffix = ":failures";
    internal const string CompletedSuffix = ":completed";
    internal const string PausedSuffix = ":paused";
    internal const string RateSuffix = ":rate";
    internal const string DeadLettersSuffix = ":dead";
    internal const string WaitingSuffix = ":waiting";
    internal const string DeadLetterTimesSuffix = ":dead-at";

    /// <summary>How many of the latest failures <see cref="Failures"/> keeps.</summary>
    public const int FailuresKept = 100;

    /// <summary>How many of the latest completed jobs <see cref="Completed"/> keeps.</summary>
    public const int CompletedKept = 1000;

    /// <summary>How long the retry key lives, in seconds: arq's 88400 (sic, not 86400).</summary>
    internal const int RetryKeySeconds = 88400;

    /// <summary>How long a finished cron run's in-progress key is kept, so that no worker enqueues that run again
    /// (arq's keep_cronjob_progress).</summary>
    internal const int CronProgressKeepMs = 60000;

    /// <summary>Arq's own: the set of the names of the queues Arq clients have enqueued on and Arq workers serve, so
    /// that views find queues without a SCAN, which a cluster would need on every node.</summary>
    public const string Queues = "arq:queues";

    /// <summary>Arq's own: the set of the ids of the workers that write a record (<see cref="Worker(string)"/>).</summary>
    public const string Workers = "arq:workers";

    /// <summary>Arq's own: the record a running Arq worker keeps of itself (<see cref="WorkerInfo"/>, as JSON).</summary>
    public static RedisKey Worker(string workerId) => "arq:worker:" + workerId;

    /// <summary>The key that holds the encoded job.</summary>
    public static RedisKey Job(string jobId) => JobPrefix + jobId;

    /// <summary>The key that marks a job as claimed by a worker.</summary>
    public static RedisKey InProgress(string jobId) => InProgressPrefix + jobId;

    /// <summary>The key that counts the tries a job has started.</summary>
    public static RedisKey Retry(string jobId) => RetryPrefix + jobId;

    /// <summary>The key that holds the encoded result.</summary>
    public static RedisKey Result(string jobId) => ResultPrefix + jobId;

    /// <summary>Arq's own: what a job wrote to its streams, kept beside its result for as long (Python arq ignores it).</summary>
    public static RedisKey Streams(string jobId) => StreamsPrefix + jobId;

    /// <summary>Arq's own: the pub/sub channel a worker publishes a running job's progress on, while someone watches.</summary>
    public static RedisChannel ProgressChannel(string jobId) => RedisChannel.Literal("arq:progress:" + jobId);

    /// <summary>Arq's own: the pub/sub channel on which a watcher names the job whose progress it wants, so that workers
    /// publish progress only while someone watches.</summary>
    public static readonly RedisChannel ProgressWatchChannel = RedisChannel.Literal("arq:progress-watch");

    /// <summary>The pub/sub channel Arq clients publish on when they enqueue on <paramref name="queue"/>, to wake idle
    /// Arq workers: named like the queue (channels and keys are separate namespaces in Redis).</summary>
    public static RedisChannel WakeChannel(string queue) => RedisChannel.Literal(queue);

    /// <summary>The key a worker of <paramref name="queue"/> writes its health line to.</summary>
    public static RedisKey HealthCheck(string queue) => queue + HealthCheckSuffix;

    /// <summary>The hash in which workers of <paramref name="queue"/> publish their cron jobs' next runs (an Arq
    /// addition: field = cron job name, value = JSON).</summary>
    public static RedisKey CronSchedule(string queue) => queue + CronScheduleSuffix;

    /// <summary>The hash in which Arq workers count the jobs of <paramref name="queue"/> they completed and failed
    /// (an Arq addition: fields <c>complete</c> and <c>failed</c>).</summary>
    public static RedisKey Stats(string queue) => queue + StatsSuffix;

    /// <summary>The list in which Arq workers keep the ids of the latest <see cref="FailuresKept"/> failed jobs of
    /// <paramref name="queue"/>, newest first (an Arq addition).</summary>
    public static RedisKey Failures(string queue) => queue + FailuresSuffix;

    /// <summary>The list in which Arq workers keep the ids of the latest <see cref="CompletedKept"/> jobs of
    /// <paramref name="queue"/> that succeeded, newest first (an Arq addition, for listings).</summary>
    public static RedisKey Completed(string queue) => queue + CompletedSuffix;
}
