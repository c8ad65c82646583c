namespace Arq.PowerShell;

/// <summary>A job as the cmdlets show it: what it runs and where it is.</summary>
public sealed class ArqJob
{
    /// <summary>The job id.</summary>
    public required string Id { get; init; }

    /// <summary>The queue the job is on.</summary>
    public required string Queue { get; init; }

    /// <summary>The function it runs.</summary>
    public string? Function { get; init; }

    /// <summary>Where it is.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>Positional arguments, decoded.</summary>
    public object?[] ArgumentList { get; init; } = [];

    /// <summary>Named arguments, decoded.</summary>
    public System.Collections.Specialized.OrderedDictionary Parameters { get; init; } = new();

    /// <summary>When it was enqueued.</summary>
    public DateTimeOffset? EnqueueTime { get; init; }

    /// <summary>When it is due; null once it left the queue.</summary>
    public DateTimeOffset? Score { get; init; }

    /// <summary>The try number, when known.</summary>
    public long? Try { get; init; }

    /// <summary>The connection the job was read with, so that piped cmdlets reach the same Redis.</summary>
    public string? Redis { get; init; }

    internal static ArqJob From(Job job, JobStatus status, JobDefinition? info, string? redis)
    {
        var parameters = new System.Collections.Specialized.OrderedDictionary();
        foreach (var (name, value) in info?.Kwargs ?? new Dictionary<string, Protocol.PackedValue>())
            parameters[name] = PowerShellValue.FromPacked(value);
        return new ArqJob
        {
            Id = job.Id,
            Queue = job.Queue,
            Function = info?.Function,
            Status = status,
            ArgumentList = info?.Args.Select(PowerShellValue.FromPacked).ToArray() ?? [],
            Parameters = parameters,
            EnqueueTime = info?.EnqueueTime,
            Score = info?.Score,
            Try = info?.Try,
            Redis = redis,
        };
    }
}
