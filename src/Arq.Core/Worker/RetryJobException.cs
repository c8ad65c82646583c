namespace Arq.Worker;

/// <summary>
/// Thrown by a job function to run the job again later (arq's <c>Retry</c>): no result is written, the job stays
/// queued, and its next try starts after <see cref="Delay"/> (at once when null). Tries still count toward the
/// function's maximum.
/// </summary>
public sealed class RetryJobException : Exception
{
    /// <summary>Asks for another try after <paramref name="delay"/>.</summary>
    public RetryJobException(TimeSpan? delay = null, string? reason = null)
        : base(reason ?? (delay is null ? "retry requested" : $"retry requested in {delay}"))
    {
        Delay = delay;
    }

    /// <summary>How long to wait before the next try.</summary>
    public TimeSpan? Delay { get; }
}
