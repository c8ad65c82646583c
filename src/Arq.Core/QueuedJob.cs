namespace Arq;

/// <summary>A job found in a queue: its handle, where it is, and what it runs (null when its job key expired, or
/// holds what cannot be decoded: then <see cref="Problem"/> says why).</summary>
public sealed record QueuedJob(Job Job, JobStatus Status, JobDefinition? Definition)
{
    /// <summary>Why <see cref="Definition"/> is null though the job key exists: its bytes are not a valid arq job.
    /// One such job does not stop a listing of the others; a worker fails it with the same text.</summary>
    public string? Problem { get; init; }
}
