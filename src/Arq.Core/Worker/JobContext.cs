using Arq.Protocol;

namespace Arq.Worker;

/// <summary>What a job function can know about the job it runs; declare a parameter of this type to receive it.</summary>
public sealed class JobContext
{
    /// <summary>The job id.</summary>
    public required string JobId { get; init; }

    /// <summary>The registered function name.</summary>
    public required string Function { get; init; }

    /// <summary>The try number, 1 for the first try.</summary>
    public required long Try { get; init; }

    /// <summary>When the job was enqueued.</summary>
    public required DateTimeOffset EnqueueTime { get; init; }

    /// <summary>The queue the job came from.</summary>
    public required string Queue { get; init; }

    /// <summary>When the job was due (arq calls it the score).</summary>
    public required DateTimeOffset DueTime { get; init; }

    /// <summary>Positional arguments as sent.</summary>
    public required IReadOnlyList<PackedValue> Args { get; init; }

    /// <summary>Keyword arguments as sent.</summary>
    public required IReadOnlyDictionary<string, PackedValue> Kwargs { get; init; }

    /// <summary>Signalled when the job times out, is aborted, or the worker stops.</summary>
    public CancellationToken CancellationToken { get; init; }
}
