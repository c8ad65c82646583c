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

    /// <summary>Arq's own: the ids of jobs this one runs after (a continuation). It waits outside its queue until
    /// every one of them has finished, then is queued (deferred still, if <see cref="DeferBy"/> or
    /// <see cref="DeferUntil"/> say so); it fails without running if one of them failed for good, unless
    /// <see cref="AfterAnyOutcome"/>. Its function reads their results in <see cref="Worker.JobContext.Parents"/>. A
    /// parent must be waiting, queued, running, or finished with its result kept; under
    /// <see cref="Protocol.KeyLayout.Cluster"/>, in the same queue.</summary>
    public IReadOnlyList<string>? After { get; init; }

    /// <summary>Arq's own: with <see cref="After"/>, run once the parents have finished, whether they succeeded or
    /// failed.</summary>
    public bool AfterAnyOutcome { get; init; }
}
