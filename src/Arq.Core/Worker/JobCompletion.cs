using Arq.Protocol;

namespace Arq.Worker;

/// <summary>How a try of a job ended, as <see cref="IWorkerHooks.AfterJobAsync"/> sees it.</summary>
/// <param name="Status">Succeeded, failed for good, or going to run again.</param>
/// <param name="Result">The returned value when it succeeded.</param>
/// <param name="Error">Why it failed, or why it will run again.</param>
/// <param name="RetryDelay">When it will run again: how long from now (zero: at once).</param>
/// <param name="Duration">How long the try ran.</param>
public sealed record JobCompletion(JobCompletionStatus Status, PackedValue? Result, JobError? Error, TimeSpan? RetryDelay, TimeSpan Duration);

/// <summary>How a try of a job ended.</summary>
public enum JobCompletionStatus
{
    /// <summary>The function returned; its result is stored.</summary>
    Succeeded,

    /// <summary>The job failed for good; the error is its result.</summary>
    Failed,

    /// <summary>The job stays queued and runs again.</summary>
    Retrying,
}
