using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// Where a job's replayed streams go: a cmdlet's own streams (Receive-ArqJob) or a PowerShell job's collections
/// (<see cref="ArqPSChildJob"/>).
/// </summary>
internal sealed record JobStreamReplay(Action<string> Warning, Action<string> Verbose, Action<string> Debug,
    Action<InformationRecord> Information, Action<ErrorRecord> Error)
{
    /// <summary>Writes what the job wrote to its streams, in order. The text came from Redis: its control characters
    /// are shown, not sent to the terminal.</summary>
    public void Replay(string jobId, JobStreams streams)
    {
        foreach (var record in streams.Records.Where(r => r.Error is not { Terminating: true }))
        {
            var message = TerminalText.Clean(record.Message, keepLineBreaks: true);
            switch (record.Stream)
            {
                case JobStream.Warning: Warning(message); break;
                case JobStream.Verbose: Verbose(message); break;
                case JobStream.Debug: Debug(message); break;
                case JobStream.Information:
                    var information = new InformationRecord(message, jobId) { TimeGenerated = record.Time.LocalDateTime };
                    information.Tags.AddRange(record.Tags);
                    Information(information);
                    break;
                case JobStream.Error:
                    Error(new ErrorRecord(new RemoteException(message), record.Error?.ErrorId ?? "ArqJobError", Category(record.Error), jobId));
                    break;
            }
        }
        if (streams.Dropped > 0)
            Warning($"Job {jobId} wrote {streams.Dropped} more records to its streams than its worker keeps (MaxStreamBytes); they are not shown.");
    }

    /// <summary>
    /// A failed job's error. A PowerShell job's reads as the original did: its message, category (activity, reason,
    /// target) and, leading its fully qualified id, the original's; a <see cref="RemoteJobException"/> holds the type,
    /// script stack trace and position. Another job's has the remote error's type as its id and the job as target.
    /// </summary>
    public static ErrorRecord Failure(string jobId, JobResult result, JobStreams? streams)
    {
        var failure = new JobFailedException(result);
        if (streams?.Records.LastOrDefault(r => r.Error is { Terminating: true }) is not { Error: { } original } record)
        {
            return new ErrorRecord(failure, failure.Error.Type ?? "ArqJobFailed", ErrorCategory.InvalidResult, jobId)
            {
                ErrorDetails = new ErrorDetails(failure.Message),
            };
        }
        var exception = new RemoteJobException(TerminalText.Clean(record.Message, keepLineBreaks: true), jobId, original, failure.Error);
        var error = new ErrorRecord(exception, original.ErrorId ?? failure.Error.Type ?? "ArqJobFailed", Category(original), null);
        if (original.Activity is { } activity) error.CategoryInfo.Activity = activity;
        if (original.ExceptionType is { } type) error.CategoryInfo.Reason = type[(type.LastIndexOf('.') + 1)..];
        if (original.TargetName is { } name) error.CategoryInfo.TargetName = name;
        if (original.TargetType is { } targetType) error.CategoryInfo.TargetType = targetType;
        return error;
    }

    private static ErrorCategory Category(JobStreamError? error) =>
        Enum.TryParse<ErrorCategory>(error?.Category, out var category) ? category : ErrorCategory.NotSpecified;
}
