namespace Arq;

/// <summary>A job has no result and is not in its queue, so there is nothing to wait for (arq's <c>ResultNotFound</c>).</summary>
public sealed class ResultNotFoundException : ArqException
{
    /// <summary>Creates the exception for the job that has no result.</summary>
    public ResultNotFoundException(string jobId, string queue)
        : base($"Job {jobId} has no result and is not in the queue '{queue}': it was never enqueued there, expired, or its result was not kept.")
    {
        JobId = jobId;
    }

    /// <summary>The job id.</summary>
    public string JobId { get; }
}
