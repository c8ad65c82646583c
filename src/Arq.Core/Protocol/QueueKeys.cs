using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Arq.Protocol;

/// <summary>
/// The Redis keys of one queue and of its jobs, in a <see cref="KeyLayout"/>: arq 0.26's names (<see cref="ArqKeys"/>),
/// or the same names under the queue's hash tag for Redis Cluster. Every key a script touches is one of these, passed
/// to it in KEYS.
/// </summary>
public sealed class QueueKeys
{
    private static readonly ConcurrentDictionary<(string Queue, KeyLayout Layout), QueueKeys> Known = new();

    private readonly string jobPrefix, inProgressPrefix, retryPrefix, resultPrefix, streamsPrefix, ratePrefix, childrenPrefix, afterPrefix;

    private QueueKeys(string name, KeyLayout layout)
    {
        Name = name;
        Layout = layout;
        // arq's job keys are global, "arq:job:<id>"; a cluster queue's carry its tag, "{emails}:job:<id>".
        var global = layout == KeyLayout.Arq ? "arq:" : "{" + name + "}:";
        var queue = layout == KeyLayout.Arq ? name : "{" + name + "}";
        Queue = queue;
        Abort = layout == KeyLayout.Arq ? ArqKeys.Abort : global + "abort";
        (jobPrefix, inProgressPrefix, retryPrefix, resultPrefix, streamsPrefix) =
            (global + "job:", global + "in-progress:", global + "retry:", global + "result:", global + "streams:");
        (childrenPrefix, afterPrefix) = (global + "children:", global + "after:");
        HealthCheck = queue + ArqKeys.HealthCheckSuffix;
        CronSchedule = queue + ArqKeys.CronScheduleSuffix;
        Stats = queue + ArqKeys.StatsSuffix;
        Failures = queue + ArqKeys.FailuresSuffix;
        Completed = queue + ArqKeys.CompletedSuffix;
        Paused = queue + ArqKeys.PausedSuffix;
        Rate = queue + ArqKeys.RateSuffix;
        DeadLetters = queue + ArqKeys.DeadLettersSuffix;
        DeadLetterTimes = queue + ArqKeys.DeadLetterTimesSuffix;
        Waiting = queue + ArqKeys.WaitingSuffix;
        Parents = layout == KeyLayout.Arq ? ArqKeys.Parents : global + "parents";
        ratePrefix = queue + ArqKeys.RateSuffix + ":";
        Wake = RedisChannel.Literal(queue);
    }

    /// <summary>The keys of <paramref name="queue"/> in <paramref name="layout"/>.</summary>
    public static QueueKeys For(string queue, KeyLayout layout = KeyLayout.Arq)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        return Known.GetOrAdd((queue, layout), static key => new QueueKeys(key.Queue, key.Layout));
    }

    /// <summary>The queue's name, as enqueues and workers name it.</summary>
    public string Name { get; }

    /// <summary>The layout these keys follow.</summary>
    public KeyLayout Layout { get; }

    /// <summary>The sorted set of the queue's job ids, scored by when each is due.</summary>
    public RedisKey Queue { get; }

    /// <summary>The sorted set of ids whose abort was requested (one for all queues in arq's layout).</summary>
    public RedisKey Abort { get; }

    /// <inheritdoc cref="ArqKeys.HealthCheck"/>
    public RedisKey HealthCheck { get; }

    /// <inheritdoc cref="ArqKeys.CronSchedule"/>
    public RedisKey CronSchedule { get; }

    /// <inheritdoc cref="ArqKeys.Stats"/>
    public RedisKey Stats { get; }

    /// <inheritdoc cref="ArqKeys.Failures"/>
    public RedisKey Failures { get; }

    /// <inheritdoc cref="ArqKeys.Completed"/>
    public RedisKey Completed { get; }

    /// <summary>Arq's own: present while the queue is paused (<see cref="JobQueue.PauseAsync"/>); Arq workers claim
    /// nothing from it meanwhile.</summary>
    public RedisKey Paused { get; }

    /// <summary>Arq's own: the jobs started within the queue's rate limit's window (a sorted set of
    /// <c>id:try</c> scored by when each started), shared by the queue's workers.</summary>
    public RedisKey Rate { get; }

    /// <summary>Arq's own: the queue's dead letters, a hash of the results of jobs that failed for good by job id,
    /// kept beyond the results' own lifetime (<see cref="Worker.ArqWorkerOptions.KeepFailed"/>).</summary>
    public RedisKey DeadLetters { get; }

    /// <summary>Arq's own: when each dead letter failed, a sorted set of job ids scored in Unix ms.</summary>
    public RedisKey DeadLetterTimes { get; }

    /// <summary>Arq's own: as <see cref="Rate"/>, for one function's limit on this queue.</summary>
    public RedisKey FunctionRate(string function) => ratePrefix + function;

    /// <summary>The channel an enqueue publishes on to wake the queue's idle Arq workers: named like the queue's key
    /// (channels and keys are separate namespaces in Redis).</summary>
    public RedisChannel Wake { get; }

    /// <inheritdoc cref="ArqKeys.Job"/>
    public RedisKey Job(string jobId) => jobPrefix + jobId;

    /// <inheritdoc cref="ArqKeys.InProgress"/>
    public RedisKey InProgress(string jobId) => inProgressPrefix + jobId;

    /// <inheritdoc cref="ArqKeys.Retry"/>
    public RedisKey Retry(string jobId) => retryPrefix + jobId;

    /// <inheritdoc cref="ArqKeys.Result"/>
    public RedisKey Result(string jobId) => resultPrefix + jobId;

    /// <inheritdoc cref="ArqKeys.Streams"/>
    public RedisKey Streams(string jobId) => streamsPrefix + jobId;

    /// <summary>Arq's own: the ids of jobs that continuations wait for (a set, global in arq's layout as job keys are),
    /// so that a finish looks for a job's continuations only when some job has any.</summary>
    public RedisKey Parents { get; }

    /// <summary>Arq's own: the queue's continuations that wait for their parents, a sorted set of ids scored as they
    /// will be queued (<see cref="EnqueueOptions.After"/>); a continuation leaves it when its last parent finishes.</summary>
    public RedisKey Waiting { get; }

    /// <summary>Arq's own: the continuations waiting for a job to finish, a hash of their ids to their queues'
    /// names (<see cref="EnqueueOptions.After"/>).</summary>
    public RedisKey Children(string jobId) => childrenPrefix + jobId;

    /// <summary>Arq's own: a continuation's wait, a hash: how many of its parents have not finished
    /// (<c>waiting</c>), the first that failed (<c>failed</c>), and its score once released (<c>score</c>).</summary>
    public RedisKey After(string jobId) => afterPrefix + jobId;

    /// <summary>The KEYS of a script that works on several jobs of the queue: <paramref name="first"/>, then each job's
    /// in-progress, retry and job keys, in that order (claim.lua and clear-queue.lua read them so).</summary>
    internal RedisKey[] WithJobKeys(IReadOnlyList<string> jobIds, params RedisKey[] first)
    {
        var keys = new RedisKey[first.Length + jobIds.Count * 3];
        first.CopyTo(keys, 0);
        for (var j = 0; j < jobIds.Count; j++)
            (keys[first.Length + j * 3], keys[first.Length + j * 3 + 1], keys[first.Length + j * 3 + 2]) = (InProgress(jobIds[j]), Retry(jobIds[j]), Job(jobIds[j]));
        return keys;
    }

    /// <summary>The pattern of the queue's in-progress keys, for SCAN.</summary>
    internal string InProgressPattern => inProgressPrefix + "*";

    /// <summary>The job id an in-progress key of this queue names.</summary>
    internal string JobIdOfInProgress(string key) => key[inProgressPrefix.Length..];

    public override string ToString() => $"{Name} ({Layout})";
}
