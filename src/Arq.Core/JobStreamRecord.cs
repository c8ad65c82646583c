namespace Arq;

/// <summary>One record a job wrote to one of its streams, in the order written.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="Message">What was written.</param>
/// <param name="Time">When.</param>
public sealed record JobStreamRecord(JobStream Stream, string Message, DateTimeOffset Time)
{
    /// <summary>An information record's tags; empty for the other streams.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>An error record's kind: PowerShell's fully qualified error id, or the exception's type name.</summary>
    public string? ErrorId { get; init; }

    /// <summary>An error record's category, as PowerShell names it (ObjectNotFound, InvalidArgument ...).</summary>
    public string? Category { get; init; }

    /// <summary>Where in the script an error was raised, as PowerShell's position message shows it.</summary>
    public string? Position { get; init; }
}
