using Arq.Protocol;

namespace Arq.Worker;

/// <summary>How a try ended, and so what the worker writes to Redis.</summary>
internal abstract record JobOutcome
{
    /// <summary>Finished: a result is written (when kept) and the job removed.</summary>
    public sealed record Finished(bool Success, PackedValue Result, JobError? Error, bool TimedOut = false) : JobOutcome;

    /// <summary>Stays queued for another try after <see cref="Delay"/>; no result.</summary>
    public sealed record Retry(TimeSpan? Delay, string Why) : JobOutcome;

    public static Finished Failed(string type, string message, bool timedOut = false)
    {
        var error = new JobError(type, message);
        return new Finished(false, PackedValue.From(error.ToString()), error, timedOut);
    }
}
