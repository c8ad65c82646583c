namespace Arq;

/// <summary>Where a job is, as arq's <c>Job.status()</c> reports it (docs/protocol.md §9).</summary>
public enum JobStatus
{
    /// <summary>No job with this id is in the queue, running, or has a result.</summary>
    NotFound,

    /// <summary>In the queue, due later.</summary>
    Deferred,

    /// <summary>In the queue and due.</summary>
    Queued,

    /// <summary>Claimed by a worker.</summary>
    InProgress,

    /// <summary>Finished; its result is stored.</summary>
    Complete,

    /// <summary>Arq's own: a continuation waiting outside its queue for the jobs it runs after
    /// (<see cref="EnqueueOptions.After"/>) to finish.</summary>
    Waiting,
}
