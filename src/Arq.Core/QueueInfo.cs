namespace Arq;

/// <summary>What a queue holds now.</summary>
/// <param name="Name">The queue (its Redis key).</param>
/// <param name="Queued">Due jobs waiting for a worker.</param>
/// <param name="Deferred">Jobs due later.</param>
/// <param name="InProgress">Jobs a worker is running (counted among the first 10,000 due jobs).</param>
/// <param name="OldestDueAge">How long the oldest waiting job has been due; null when none waits.</param>
/// <param name="Health">The last health-check line a worker of this queue wrote; null when none is current.</param>
/// <param name="Complete">Jobs of this queue Arq workers have completed, ever (Python arq workers do not count).</param>
/// <param name="Failed">Jobs of this queue Arq workers have failed for good, ever.</param>
public sealed record QueueInfo(string Name, long Queued, long Deferred, long InProgress, TimeSpan? OldestDueAge, WorkerHealth? Health,
    long Complete = 0, long Failed = 0)
{
    /// <summary>Whether the queue is paused: Arq workers claim none of its jobs until it is resumed
    /// (<see cref="JobQueue.PauseAsync"/>).</summary>
    public bool Paused { get; init; }

    /// <summary>Continuations waiting for the jobs they run after (<see cref="EnqueueOptions.After"/>), outside the
    /// queue until their last parent finishes.</summary>
    public long Waiting { get; init; }
}
