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

    /// <summary>Failed for good: the dead letters Arq workers keep (<see cref="Worker.ArqWorkerOptions.KeepFailed"/>),
    /// newest first; where they keep none, the latest 100 they failed, with the results still kept.</summary>
    Failed,

    /// <summary>Continuations waiting for the jobs they run after, in the order they will be queued.</summary>
    Waiting,
}
