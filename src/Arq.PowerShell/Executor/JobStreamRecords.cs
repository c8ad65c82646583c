using System.Management.Automation;

namespace Arq.PowerShell.Executor;

/// <summary>A PowerShell stream record as Arq's: a stream record the worker keeps with the job's result, or the
/// progress it sends to the job's watchers.</summary>
internal static class JobStreamRecords
{
    public static JobStreamRecord From(JobStream stream, InformationalRecord record) =>
        new(stream, record.Message, DateTimeOffset.UtcNow);

    public static JobStreamRecord From(InformationRecord record) =>
        new(JobStream.Information, record.MessageData?.ToString() ?? "", new DateTimeOffset(record.TimeGenerated.ToUniversalTime()))
        {
            Tags = [.. record.Tags],
        };

    public static JobProgress From(ProgressRecord record) =>
        new(record.Activity, record.StatusDescription)
        {
            ActivityId = record.ActivityId, ParentActivityId = record.ParentActivityId, PercentComplete = record.PercentComplete,
            SecondsRemaining = record.SecondsRemaining, CurrentOperation = record.CurrentOperation,
            Completed = record.RecordType == ProgressRecordType.Completed,
        };

    /// <summary>An error the job wrote, or with <paramref name="terminating"/> the one it failed with.</summary>
    public static JobStreamRecord From(ErrorRecord record, bool terminating = false) =>
        new(JobStream.Error, record.ErrorDetails?.Message ?? record.Exception?.Message ?? record.ToString(), DateTimeOffset.UtcNow)
        {
            Error = new JobStreamError
            {
                ErrorId = record.FullyQualifiedErrorId,
                Category = record.CategoryInfo.Category.ToString(),
                Activity = NullIfEmpty(record.CategoryInfo.Activity),
                TargetName = NullIfEmpty(record.CategoryInfo.TargetName),
                TargetType = NullIfEmpty(record.CategoryInfo.TargetType),
                ExceptionType = record.Exception?.GetType().FullName,
                ScriptStackTrace = NullIfEmpty(record.ScriptStackTrace),
                Position = NullIfEmpty(record.InvocationInfo?.PositionMessage),
                Terminating = terminating,
            },
        };

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
