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

    public static JobStreamRecord From(ErrorRecord record) =>
        new(JobStream.Error, record.ErrorDetails?.Message ?? record.Exception?.Message ?? record.ToString(), DateTimeOffset.UtcNow)
        {
            ErrorId = record.FullyQualifiedErrorId,
            Category = record.CategoryInfo.Category.ToString(),
            Position = record.InvocationInfo?.PositionMessage is { Length: > 0 } position ? position : null,
        };
}
