using System.Collections.Specialized;

namespace Arq.PowerShell;

/// <summary>A job as the cmdlets show it: what it runs, where it is and, once finished, how it ended.</summary>
public sealed class ArqJob
{
    /// <summary>The job id.</summary>
    public required string Id { get; init; }

    /// <summary>The queue the job is on.</summary>
    public required string Queue { get; init; }

    /// <summary>The function it runs; null when the job is not found.</summary>
    public string? Function { get; init; }

    /// <summary>Where it is: Deferred, Queued, InProgress, Complete, NotFound, or Waiting (a continuation whose parents
    /// have not finished). Text, not Arq's enum, so that the module's public types name nothing from its isolated
    /// dependencies.</summary>
    public required string Status { get; init; }

    /// <summary>Positional arguments, decoded.</summary>
    public object?[] ArgumentList { get; init; } = [];

    /// <summary>Named arguments, decoded, in order.</summary>
    public OrderedDictionary Parameters { get; init; } = new();

    /// <summary>When it was enqueued.</summary>
    public DateTimeOffset? EnqueueTime { get; init; }

    /// <summary>When it is due; null once it left the queue.</summary>
    public DateTimeOffset? DueTime { get; init; }

    /// <summary>The try number, when known.</summary>
    public long? Try { get; init; }

    /// <summary>For a finished job: whether it succeeded.</summary>
    public bool? Success { get; init; }

    /// <summary>For a failed job: the error the worker recorded.</summary>
    public string? Error { get; init; }

    /// <summary>For a finished job: when it finished.</summary>
    public DateTimeOffset? FinishTime { get; init; }

    /// <summary>The client the job was read with, so that piped cmdlets reach the same Redis (never shown: the
    /// connection string may hold a password).</summary>
    internal ArqClient? Client { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Id;

    /// <summary>The job as shown. A job whose bytes or arguments cannot be decoded still shows, its
    /// <paramref name="problem"/> (or the decoding error) as its error, so one bad job spoils no listing.</summary>
    internal static ArqJob From(ArqClient client, Job job, JobStatus status, JobDefinition? definition, string? problem = null)
    {
        var result = definition as JobResult;
        object?[] arguments = [];
        var parameters = new System.Collections.Specialized.OrderedDictionary();
        try
        {
            arguments = definition?.Args.Select(PowerShellValue.FromPacked).ToArray() ?? [];
            parameters = PowerShellValue.FromKwargs(definition?.Kwargs);
        }
        catch (InvalidDataException e)
        {
            problem ??= $"The arguments cannot be decoded: {e.Message}";
        }
        return new ArqJob
        {
            Id = job.Id,
            Queue = job.Queue,
            Function = definition?.Function,
            Status = status.ToString(),
            ArgumentList = arguments,
            Parameters = parameters,
            EnqueueTime = definition?.EnqueueTime,
            DueTime = definition?.DueTime,
            Try = definition?.Try,
            Success = result?.Success,
            Error = result?.Error?.ToString() ?? problem,
            FinishTime = result?.FinishTime,
            Client = client,
        };
    }
}
