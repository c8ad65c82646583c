namespace Arq;

/// <summary>
/// How far a running job has got, as PowerShell's Write-Progress says it: sent live to whoever waits on the job
/// (<see cref="Job.WatchProgressAsync"/>, Wait-ArqJob), never stored.
/// </summary>
/// <param name="Activity">What the job is doing.</param>
/// <param name="Status">Where it is in it.</param>
public sealed record JobProgress(string Activity, string Status)
{
    /// <summary>Tells apart the job's own progress bars; 0 for its first.</summary>
    public int ActivityId { get; init; }

    /// <summary>The bar this one sits under, or -1 for none.</summary>
    public int ParentActivityId { get; init; } = -1;

    /// <summary>0 to 100, or -1 when not known.</summary>
    public int PercentComplete { get; init; } = -1;

    /// <summary>Seconds left, or -1 when not known.</summary>
    public int SecondsRemaining { get; init; } = -1;

    /// <summary>What it does at this moment.</summary>
    public string? CurrentOperation { get; init; }

    /// <summary>The activity has ended: its bar goes away.</summary>
    public bool Completed { get; init; }
}
