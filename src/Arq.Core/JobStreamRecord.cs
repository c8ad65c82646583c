namespace Arq;

/// <summary>One record a job wrote to one of its streams, in the order written.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="Message">What was written.</param>
/// <param name="Time">When.</param>
public sealed record JobStreamRecord(JobStream Stream, string Message, DateTimeOffset Time)
{
    /// <summary>An information record's tags; empty for the other streams.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>An error record's details, when it has them.</summary>
    public JobStreamError? Error { get; init; }
}
