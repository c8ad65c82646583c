using Arq.Protocol;

namespace Arq;

/// <summary>A finished job (arq's <c>JobResult</c>).</summary>
public sealed record JobResult : JobDefinition
{
    /// <summary>Whether the job succeeded.</summary>
    public required bool Success { get; init; }

    /// <summary>The return value, or on failure the error written by the worker, still encoded.</summary>
    public required PackedValue Result { get; init; }

    /// <summary>When the try that produced this result started.</summary>
    public required DateTimeOffset StartTime { get; init; }

    /// <summary>When it finished.</summary>
    public required DateTimeOffset FinishTime { get; init; }

    /// <summary>The queue it ran from.</summary>
    public string? Queue { get; init; }

    /// <summary>The error of a failed job; null when it succeeded.</summary>
    public JobError? Error => Success ? null : JobError.FromResult(Result);

    internal static JobResult From(string jobId, ResultMessage message) => new()
    {
        JobId = message.JobId ?? jobId,
        Function = message.Function,
        Args = message.Args,
        Kwargs = message.Kwargs,
        Try = message.Try,
        EnqueueTime = UnixTime.FromMilliseconds(message.EnqueueTimeMs),
        Success = message.Success,
        Result = message.Result,
        StartTime = UnixTime.FromMilliseconds(message.StartTimeMs),
        FinishTime = UnixTime.FromMilliseconds(message.FinishTimeMs),
        Queue = message.Queue,
    };
}
