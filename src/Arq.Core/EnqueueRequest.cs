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
    public async Task<bool> SendAsync(IDatabaseAsync redis, KeyLayout layout)
    {
        var keys = QueueKeys.For(Queue, layout);
        return (long)await redis.ScriptEvaluateAsync(
            ArqScripts.Enqueue,
            [keys.Job(JobId), keys.Result(JobId), keys.Queue, keys.InProgress(JobId)],
            [ExpiryMs, Message.Encode(), Score, JobId]).ConfigureAwait(false) == 1;
    }

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

        var enqueueTime = UnixTime.Now(clientOptions.Clock);
        var score = options.DeferUntil is { } until ? UnixTime.Milliseconds(until)
            : enqueueTime + (long)(options.DeferBy ?? TimeSpan.Zero).TotalMilliseconds;
        var expiry = options.Expires is { } expires ? (long)expires.TotalMilliseconds
            : score - enqueueTime + (long)clientOptions.ExpiresExtra.TotalMilliseconds;
        if (expiry <= 0)
            throw new ArgumentException(
                $"DeferUntil {options.DeferUntil:O} is more than {clientOptions.ExpiresExtra} in the past: the job would expire before it could run.",
                nameof(options));

        var message = new JobMessage(function, PackArgs(args), PackKwargs(kwargs), enqueueTime, options.JobTry);
        return new EnqueueRequest(options.JobId ?? Guid.NewGuid().ToString("N"), options.Queue ?? clientOptions.DefaultQueue, message, score, expiry);
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
