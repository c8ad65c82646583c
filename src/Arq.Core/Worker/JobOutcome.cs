using Arq.Protocol;

namespace Arq.Worker;

/// <summary>How a try ended, and so what the worker writes to Redis.</summary>
internal abstract record JobOutcome
{
    /// <summary>Finished: a result is written (when kept) and the job removed.</summary>
    /// <remarks><see cref="Retryable"/>: the function itself failed, so a retry policy may run it again.</remarks>
    public sealed record Finished(bool Success, PackedValue Result, JobError? Error, bool TimedOut = false, bool Retryable = false) : JobOutcome;

    /// <summary>Stays queued for another try after <see cref="Delay"/>; no result.</summary>
    public sealed record Retry(TimeSpan? Delay, string Why, JobError? Error = null) : JobOutcome;

    public static Finished Failed(string type, string message, bool timedOut = false, bool retryable = false)
    {
        var error = new JobError(type, message);
        return new Finished(false, PackedValue.From(error.ToString()), error, timedOut, retryable);
    }

    /// <summary>The outcome as hooks see it.</summary>
    public JobCompletion ToCompletion(TimeSpan duration) => this switch
    {
        Finished { Success: true } done => new JobCompletion(JobCompletionStatus.Succeeded, done.Result, null, null, duration),
        Finished failed => new JobCompletion(JobCompletionStatus.Failed, null, failed.Error, null, duration),
        Retry retry => new JobCompletion(JobCompletionStatus.Retrying, null, retry.Error ?? new JobError(null, retry.Why), retry.Delay ?? TimeSpan.Zero, duration),
        _ => throw new InvalidOperationException(),
    };
}
