using System.Text.Json;
using Arq.Protocol;
using Arq.Worker;

namespace Arq.Hosting;

/// <summary>
/// What an executor process needs to run a worker: where its actors are and the worker's settings. The supervisor
/// sends them as the first line of the executor's standard input, never on its command line, which other users of
/// the machine can read (the connection string may hold a password).
/// </summary>
public sealed record ExecutorSettings
{
    /// <summary>The Redis connection string or URL; null for ARQ_REDIS_URL, then localhost:6379.</summary>
    public string? Redis { get; init; }

    /// <summary>A PowerShell script of actor classes and job functions.</summary>
    public string? ScriptPath { get; init; }

    /// <summary>.NET assemblies whose classes have [JobFunction] methods.</summary>
    public IReadOnlyList<string> Assemblies { get; init; } = [];

    /// <summary>The queues, highest priority first.</summary>
    public IReadOnlyList<string> Queues { get; init; } = [ArqKeys.DefaultQueue];

    /// <summary>How many jobs run at once.</summary>
    public int MaxJobs { get; init; } = 10;

    /// <summary>How long a try may run.</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>How many tries a job gets.</summary>
    public int MaxTries { get; init; } = 5;

    /// <summary>How long results are kept (zero: not at all; <see cref="Timeout.InfiniteTimeSpan"/>: for ever).</summary>
    public TimeSpan KeepResult { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a claim holds without renewal.</summary>
    public TimeSpan LeaseTime { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Stop once the queues are empty.</summary>
    public bool Burst { get; init; }

    /// <summary>How long running jobs may take to finish once a stop is asked for.</summary>
    public TimeSpan ShutdownDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The worker options these settings describe.</summary>
    public ArqWorkerOptions ToWorkerOptions() => new()
    {
        Queues = Queues,
        MaxJobs = MaxJobs,
        JobTimeout = JobTimeout,
        MaxTries = MaxTries,
        KeepResult = KeepResult,
        LeaseTime = LeaseTime,
        Burst = Burst,
        ShutdownDelay = ShutdownDelay,
    };

    /// <summary>The settings as one line of JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Reads settings written by <see cref="ToJson"/>.</summary>
    public static ExecutorSettings FromJson(string json) =>
        JsonSerializer.Deserialize<ExecutorSettings>(json) ?? throw new ArgumentException("The executor settings are empty.", nameof(json));
}
