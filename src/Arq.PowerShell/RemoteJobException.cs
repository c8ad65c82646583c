using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// The error a PowerShell job failed with on its worker, as Receive-ArqJob and Receive-Job show it: the original's
/// message, and its exception type, script stack trace and position, which the error record of the caller's side
/// cannot hold as its own.
/// </summary>
public sealed class RemoteJobException : RuntimeException
{
    internal RemoteJobException(string message, string jobId, JobStreamError original, JobError error) : base(message)
    {
        JobId = jobId;
        RemoteTypeName = original.ExceptionType ?? error.Type ?? "";
        RemoteScriptStackTrace = original.ScriptStackTrace ?? "";
        RemotePositionMessage = original.Position ?? "";
        Error = error;
    }

    /// <summary>The job that failed.</summary>
    public string JobId { get; }

    /// <summary>The full name of the original exception's type (System.IO.FileNotFoundException).</summary>
    public string RemoteTypeName { get; }

    /// <summary>The job's script call stack where the error was raised.</summary>
    public string RemoteScriptStackTrace { get; }

    /// <summary>Where in the job's script the error was raised.</summary>
    public string RemotePositionMessage { get; }

    /// <summary>The error as the job's result holds it ("Type: message"), as every arq client reads it.</summary>
    public JobError Error { get; }
}
