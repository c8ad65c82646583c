namespace Arq;

/// <summary>
/// A running Arq worker as it describes itself, every <see cref="RecordInterval"/>, in <c>arq:worker:&lt;id&gt;</c>
/// (an Arq addition; it lapses three intervals after the worker stops writing it, and a graceful stop deletes it).
/// Read them with <see cref="ArqClient.GetWorkersAsync"/>.
/// </summary>
/// <param name="Id">The worker's own id: host, process id and a random part.</param>
/// <param name="Host">The machine's name.</param>
/// <param name="ProcessId">The worker's process.</param>
/// <param name="Queues">The queues it takes jobs from, highest priority first.</param>
/// <param name="Started">When it started.</param>
/// <param name="LastSeen">When it last wrote this record.</param>
public sealed record WorkerInfo(string Id, string Host, int ProcessId, IReadOnlyList<string> Queues, DateTimeOffset Started, DateTimeOffset LastSeen)
{
    /// <summary>How often a worker writes its record.</summary>
    public static readonly TimeSpan RecordInterval = TimeSpan.FromSeconds(10);

    /// <summary>How many jobs it runs now.</summary>
    public int Running { get; init; }

    /// <summary>How many jobs it runs at most at once.</summary>
    public int MaxJobs { get; init; }

    /// <summary>Jobs it completed since it started.</summary>
    public long Complete { get; init; }

    /// <summary>Jobs it failed for good since it started.</summary>
    public long Failed { get; init; }

    /// <summary>Tries it handed back for another try since it started.</summary>
    public long Retried { get; init; }

    /// <summary>The version of Arq it runs.</summary>
    public string? Version { get; init; }

    internal string ToJson() => ArqJson.Serialize(this, ArqJsonContext.Default.WorkerInfo);

    internal static WorkerInfo? FromJson(string json) => ArqJson.TryDeserialize(json, ArqJsonContext.Default.WorkerInfo);
}
