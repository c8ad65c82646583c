using System.Management.Automation;

namespace Arq.PowerShell.Executor;

/// <summary>A PowerShell stream record as the job's stream record that the worker keeps with its result.</summary>
internal static class JobStreamRecords
{
    public static JobStreamRecord From(JobStream stream, InformationalRecord record) =>
        new(stream, record.Message, DateTimeOffset.UtcNow);

    public static JobStreamRecord From(InformationRecord record) =>
        new(JobStream.Information, record.MessageData?.ToString() ?? "", new DateTimeOffset(record.TimeGenerated.ToUniversalTime()))
        {
            Tags = [.. record.Tags],
        };

    public static JobStreamRecord From(ErrorRecord record) =>
        new(JobStream.Error, record.ErrorDetails?.Message ?? record.Exception?.Message ?? record.ToString(), DateTimeOffset.UtcNow)
        {
            ErrorId = record.FullyQualifiedErrorId,
            Category = record.CategoryInfo.Category.ToString(),
            Position = record.InvocationInfo?.PositionMessage is { Length: > 0 } position ? position : null,
        };
}
