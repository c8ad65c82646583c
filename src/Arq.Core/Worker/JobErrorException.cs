namespace Arq.Worker;

/// <summary>
/// Fails a job with an error type of the thrower's choosing (by default the worker records an exception's own type
/// name). The PowerShell executor uses it to report a script's error with the type of the error it threw.
/// </summary>
public sealed class JobErrorException(string errorType, string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>The error type recorded in the failed result.</summary>
    public string ErrorType { get; } = errorType;
}
