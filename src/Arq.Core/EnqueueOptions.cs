namespace Arq;

/// <summary>How to enqueue one job. Every setting is optional; the defaults are arq's.</summary>
public sealed record EnqueueOptions
{
    /// <summary>The job id; a new random id (32 hex digits) when null. A job with the same id that is still queued
    /// or has a kept result makes the enqueue a duplicate.</summary>
    public string? JobId { get; init; }

    /// <summary>The queue (the Redis key of its sorted set); the client's default queue when null.</summary>
    public string? Queue { get; init; }

    /// <summary>Run no sooner than this long after enqueue. Cannot be combined with <see cref="DeferUntil"/>.</summary>
    public TimeSpan? DeferBy { get; init; }

    /// <summary>Run no sooner than this time. Cannot be combined with <see cref="DeferBy"/>.</summary>
    public DateTimeOffset? DeferUntil { get; init; }

    /// <summary>Drop the job if it has not started this long after enqueue; by default one day after it is due.</summary>
    public TimeSpan? Expires { get; init; }

    /// <summary>Start counting tries from this number (arq's <c>_job_try</c>).</summary>
    public long? JobTry { get; init; }
}
