namespace Arq;

/// <summary>The error types (<see cref="JobError.Type"/>) a worker records for failures of its own making; a job's own
/// exception keeps its type name.</summary>
public static class JobErrorTypes
{
    /// <summary>The job was aborted (Python's <c>asyncio.CancelledError</c>, which arq records).</summary>
    public const string Cancelled = "CancelledError";

    /// <summary>The job key expired before a worker took it.</summary>
    public const string JobExpired = "JobExpired";

    /// <summary>The job's bytes are not a valid arq job.</summary>
    public const string InvalidJob = "InvalidJob";

    /// <summary>The job is larger than the worker's <see cref="Worker.ArqWorkerOptions.MaxJobBytes"/>.</summary>
    public const string JobTooLarge = "JobTooLarge";

    /// <summary>No function of that name is registered on the worker.</summary>
    public const string FunctionNotFound = "FunctionNotFound";

    /// <summary>The job has used up its tries.</summary>
    public const string MaxTriesExceeded = "MaxTriesExceeded";

    /// <summary>The job's arguments do not fit its function.</summary>
    public const string ArgumentBinding = "ArgumentBindingError";

    /// <summary>The try ran longer than its timeout (Python's name).</summary>
    public const string Timeout = "TimeoutError";

    /// <summary>A continuation did not run: a job it runs after (<see cref="EnqueueOptions.After"/>) failed for good.</summary>
    public const string ParentFailed = "ParentFailed";

    /// <summary>The job returned a value that MessagePack cannot encode.</summary>
    public const string Serialization = "SerializationError";
}
