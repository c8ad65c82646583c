namespace Arq.Worker;

/// <summary>Per-function overrides of the worker's settings; null means the worker's.</summary>
public sealed record JobFunctionSettings
{
    /// <summary>How long a try may run.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How many tries the job gets.</summary>
    public int? MaxTries { get; init; }

    /// <summary>How long the result is kept: zero for not at all, <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for ever.</summary>
    public TimeSpan? KeepResult { get; init; }

    /// <summary>Runs a failed job again after a delay, until <see cref="MaxTries"/> (or the worker's max tries) are used.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>At most this many of the function's jobs start per period on a queue, counted by all its workers
    /// together (beside the worker's <see cref="ArqWorkerOptions.RateLimit"/> for the whole queue).</summary>
    public RateLimit? RateLimit { get; init; }
}
