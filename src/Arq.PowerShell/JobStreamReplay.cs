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
        foreach (var record in streams.Records)
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
                    var category = Enum.TryParse<ErrorCategory>(record.Category, out var parsed) ? parsed : ErrorCategory.NotSpecified;
                    Error(new ErrorRecord(new RemoteException(message), record.ErrorId ?? "ArqJobError", category, jobId));
                    break;
            }
        }
        if (streams.Dropped > 0)
            Warning($"Job {jobId} wrote {streams.Dropped} more records to its streams than its worker keeps (MaxStreamBytes); they are not shown.");
    }

    /// <summary>A failed job's error, as Receive-ArqJob writes it: the remote error's type as its id, the job as target.</summary>
    public static ErrorRecord Failure(string jobId, JobResult result)
    {
        var failure = new JobFailedException(result);
        return new ErrorRecord(failure, failure.Error.Type ?? "ArqJobFailed", ErrorCategory.InvalidResult, jobId)
        {
            ErrorDetails = new ErrorDetails(failure.Message),
        };
    }
}
