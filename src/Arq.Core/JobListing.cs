namespace Arq;

/// <summary>The listings by which <see cref="JobQueue.GetPageAsync"/> lists a queue's jobs.</summary>
public enum JobListing
{
    /// <summary>Due, in the order they run (those running among them too).</summary>
    Queued,

    /// <summary>Waiting for a later time.</summary>
    Deferred,

    /// <summary>Claimed by a worker and running.</summary>
    InProgress,

    /// <summary>Finished successfully (the latest that Arq workers finished).</summary>
    Complete,

    /// <summary>Failed for good (the latest that Arq workers failed).</summary>
    Failed,
}
