using Arq.Protocol;

namespace Arq;

/// <summary>What a job asks to run (arq's <c>JobDef</c>): from the job key while queued, else from its result.</summary>
public record JobDefinition
{
    /// <summary>The job id.</summary>
    public required string JobId { get; init; }

    /// <summary>The function's registered name.</summary>
    public required string Function { get; init; }

    /// <summary>Positional arguments, still encoded; decode each with <see cref="PackedValue.Deserialize{T}"/>.</summary>
    public required IReadOnlyList<PackedValue> Args { get; init; }

    /// <summary>Keyword arguments by name, still encoded.</summary>
    public required IReadOnlyDictionary<string, PackedValue> Kwargs { get; init; }

    /// <summary>The try number: forced at enqueue, or the try that produced the result; null for a fresh job.</summary>
    public long? Try { get; init; }

    /// <summary>When the job was enqueued.</summary>
    public required DateTimeOffset EnqueueTime { get; init; }

    /// <summary>When the job is due (its score in the queue, in arq's terms); null when it is no longer queued.</summary>
    public DateTimeOffset? DueTime { get; init; }

    internal static JobDefinition From(string jobId, JobMessage message, DateTimeOffset? score) => new()
    {
        JobId = jobId,
        Function = message.Function,
        Args = message.Args,
        Kwargs = message.Kwargs,
        Try = message.Try,
        EnqueueTime = UnixTime.FromMilliseconds(message.EnqueueTimeMs),
        DueTime = score,
    };
}
