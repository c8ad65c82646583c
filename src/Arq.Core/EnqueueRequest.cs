using Arq.Protocol;
using MessagePack;
using StackExchange.Redis;

namespace Arq;

/// <summary>
/// A job ready to enqueue, and the one call that enqueues it (docs/protocol.md §4): the client, the worker's cron
/// runs and the in-memory broker all prepare a job so, and the first two send it so.
/// </summary>
internal sealed record EnqueueRequest(string JobId, string Queue, JobMessage Message, long Score, long ExpiryMs)
{
    /// <summary>Runs the enqueue script; false when a job with this id is queued, running or has a kept result.</summary>
    /// <exception cref="ArgumentException">A parent (<see cref="EnqueueOptions.After"/>) is not there to wait for.</exception>
    public async Task<bool> SendAsync(IDatabaseAsync redis, KeyLayout layout)
    {
        var keys = QueueKeys.For(Queue, layout);
        if (Message.After is not { Count: > 0 } parents)
        {
            return (long)await redis.ScriptEvaluateAsync(
                ArqScripts.Enqueue,
                [keys.Job(JobId), keys.Result(JobId), keys.Queue, keys.InProgress(JobId)],
                [ExpiryMs, Message.Encode(), Score, JobId]).ConfigureAwait(false) == 1;
        }
        // A parent's keys: in arq's layout job keys are global; in a cluster's, a continuation's parents share its queue.
        var sent = (long)await redis.ScriptEvaluateAsync(
            ArqScripts.EnqueueAfter,
            [keys.Job(JobId), keys.Result(JobId), keys.Queue, keys.InProgress(JobId), keys.After(JobId), keys.Parents, keys.Waiting,
                .. parents.SelectMany(parent => new RedisKey[] { keys.Job(parent), keys.Result(parent), keys.Children(parent) })],
            [ExpiryMs, Message.Encode(), Score, JobId, Queue, ChildrenOutliveParentMs, .. parents.Select(parent => (RedisValue)parent)]).ConfigureAwait(false);
        if (sent >= 0) return sent == 1;
        var missing = parents[(int)-sent - 1];
        throw new ArgumentException(
            $"Job {JobId} cannot run after job {missing}: that job is not waiting, queued or running, and has no kept result " +
            $"to tell how it ended (it never existed, or its result expired or was not kept){(layout == KeyLayout.Cluster ? $", or it is not in the queue {Queue}: under the cluster key layout a job runs after jobs of its own queue" : "")}.",
            "options");
    }

    /// <summary>How long a parent's list of continuations outlives its job key, so that a parent that expires
    /// before it runs still releases (and fails) them when a worker finds it gone.</summary>
    private const long ChildrenOutliveParentMs = 24 * 60 * 60 * 1000;

    /// <summary>A handle on the job once it is enqueued, holding what was sent.</summary>
    public Job ToJob(IJobStore store, TimeProvider clock) =>
        new(store, clock, JobId, Queue, JobDefinition.From(JobId, Message, UnixTime.FromMilliseconds(Score)));

    /// <summary>Checks and encodes <paramref name="job"/>.</summary>
    public static EnqueueRequest Create(ArqClientOptions clientOptions, JobRequest job) =>
        Create(clientOptions, job.Function, job.Args, job.Kwargs, job.Options ?? new EnqueueOptions());

    /// <summary>Checks the options and encodes the job.</summary>
    public static EnqueueRequest Create(ArqClientOptions clientOptions, string function, object?[]? args, IReadOnlyDictionary<string, object?>? kwargs, EnqueueOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(function);
        if (options.DeferBy is not null && options.DeferUntil is not null)
            throw new ArgumentException("DeferBy and DeferUntil cannot be used together: give one or the other.", nameof(options));
        if (options.DeferBy < TimeSpan.Zero)
            throw new ArgumentException($"DeferBy must not be negative, but is {options.DeferBy}.", nameof(options));
        if (options.Expires <= TimeSpan.Zero)
            throw new ArgumentException($"Expires must be positive, but is {options.Expires}.", nameof(options));
        if (options.JobId is { Length: 0 })
            throw new ArgumentException("JobId must not be empty.", nameof(options));
        if (options.After is { } after && after.Any(string.IsNullOrEmpty))
            throw new ArgumentException("After names a job with an empty id.", nameof(options));
        if (options.AfterAnyOutcome && options.After is not { Count: > 0 })
            throw new ArgumentException("AfterAnyOutcome needs the jobs to run after (After).", nameof(options));

        var enqueueTime = UnixTime.Now(clientOptions.Clock);
        var score = options.DeferUntil is { } until ? UnixTime.Milliseconds(until)
            : enqueueTime + (long)(options.DeferBy ?? TimeSpan.Zero).TotalMilliseconds;
        var expiry = options.Expires is { } expires ? (long)expires.TotalMilliseconds
            : score - enqueueTime + (long)clientOptions.ExpiresExtra.TotalMilliseconds;
        if (expiry <= 0)
            throw new ArgumentException(
                $"DeferUntil {options.DeferUntil:O} is more than {clientOptions.ExpiresExtra} in the past: the job would expire before it could run.",
                nameof(options));

        var jobId = options.JobId ?? Guid.NewGuid().ToString("N");
        var parents = options.After?.Distinct(StringComparer.Ordinal).ToList();
        if (parents is not null && parents.Contains(jobId))
            throw new ArgumentException($"Job {jobId} cannot run after itself.", nameof(options));
        var message = new JobMessage(function, PackArgs(args), PackKwargs(kwargs), enqueueTime, options.JobTry,
            After: parents is { Count: > 0 } ? parents : null, AfterAnyOutcome: options.AfterAnyOutcome);
        return new EnqueueRequest(jobId, options.Queue ?? clientOptions.DefaultQueue, message, score, expiry);
    }

    private static PackedValue[] PackArgs(object?[]? args)
    {
        if (args is null || args.Length == 0) return [];
        var packed = new PackedValue[args.Length];
        for (var i = 0; i < args.Length; i++) packed[i] = Pack(args[i], $"Argument {i}");
        return packed;
    }

    private static Dictionary<string, PackedValue> PackKwargs(IReadOnlyDictionary<string, object?>? kwargs)
    {
        var packed = new Dictionary<string, PackedValue>(kwargs?.Count ?? 0, StringComparer.Ordinal);
        if (kwargs is null) return packed;
        foreach (var (name, value) in kwargs)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("A keyword argument has an empty name.", nameof(kwargs));
            packed.Add(name, Pack(value, $"Argument '{name}'"));
        }
        return packed;
    }

    private static PackedValue Pack(object? value, string what)
    {
        try
        {
            return PackedValue.From(value);
        }
        catch (MessagePackSerializationException e)
        {
            var reason = ArqMessagePack.Reason(e);
            throw new ArgumentException($"{what} of type {value!.GetType().FullName} cannot be encoded as MessagePack: {reason}", e);
        }
    }
}
