namespace Arq;

/// <summary>
/// What PowerShell knows of an error a job wrote or failed with, beyond its message: enough to show it on the
/// caller's side as the original reads (see docs/actors.md). Each part is optional; a C# job may give only some.
/// </summary>
public sealed record JobStreamError
{
    /// <summary>PowerShell's fully qualified error id.</summary>
    public string? ErrorId { get; init; }

    /// <summary>The error's category, as PowerShell names it (ObjectNotFound, InvalidArgument ...).</summary>
    public string? Category { get; init; }

    /// <summary>The category's activity: the command that raised the error.</summary>
    public string? Activity { get; init; }

    /// <summary>The category's target name and type: the object the error is about.</summary>
    public string? TargetName { get; init; }

    /// <inheritdoc cref="TargetName"/>
    public string? TargetType { get; init; }

    /// <summary>The full name of the exception's type (System.IO.FileNotFoundException).</summary>
    public string? ExceptionType { get; init; }

    /// <summary>The script's call stack where the error was raised.</summary>
    public string? ScriptStackTrace { get; init; }

    /// <summary>Where in the script it was raised, as PowerShell's position message shows it.</summary>
    public string? Position { get; init; }

    /// <summary>The error ended the job (it failed with it), rather than being written as it went on.</summary>
    public bool Terminating { get; init; }

    /// <summary>The text it takes, to keep a job's streams within their limit.</summary>
    internal long Size =>
        (ErrorId?.Length ?? 0) + (Category?.Length ?? 0) + (Activity?.Length ?? 0) + (TargetName?.Length ?? 0) + (TargetType?.Length ?? 0)
        + (ExceptionType?.Length ?? 0) + (ScriptStackTrace?.Length ?? 0) + (Position?.Length ?? 0);
}
