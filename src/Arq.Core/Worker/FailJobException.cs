namespace Arq.Worker;

/// <summary>
/// Thrown by a job function to fail the job with an error type of its choosing (by default the worker records an
/// exception's own type name), as <see cref="RetryJobException"/> asks for another try. The PowerShell executor uses
/// it to report a script's error with the type of the error it threw.
/// </summary>
public sealed class FailJobException(string errorType, string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>The error type recorded in the failed result.</summary>
    public string ErrorType { get; } = errorType;
}
