namespace Arq.Worker;

/// <summary>What a worker did: the counts arq reports in its health check and at shutdown.</summary>
public sealed record WorkerSummary(long Complete, long Failed, long Retried, long TimedOut, TimeSpan Duration)
{
    /// <summary>How many times a supervisor restarted the worker's executor during the run.</summary>
    public int Restarts { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Complete} complete, {Failed} failed, {Retried} retried, {TimedOut} timed out in {Duration.TotalSeconds:0.00}s";
}
