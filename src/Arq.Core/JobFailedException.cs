namespace Arq;

/// <summary>A job ended in failure; carries the error the worker recorded and the whole result.</summary>
public sealed class JobFailedException : ArqException
{
    /// <summary>Creates the exception for a failed result.</summary>
    public JobFailedException(JobResult result)
        : base($"Job {result.JobId} ({result.Function}) failed: {result.Error}")
    {
        Result = result;
        Error = result.Error ?? new JobError(null, "failed");
    }

    /// <summary>The job id.</summary>
    public string JobId => Result.JobId;

    /// <summary>The error the worker recorded.</summary>
    public JobError Error { get; }

    /// <summary>The failed result as stored.</summary>
    public JobResult Result { get; }
}
