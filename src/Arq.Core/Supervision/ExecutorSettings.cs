using System.Text.Json;
using System.Text.Json.Serialization;
using Arq.Worker;

namespace Arq.Supervision;

/// <summary>
/// What an executor process needs to run a worker: where its actors are and the worker's settings. The supervisor
/// sends them as the first line of the executor's standard input, never on its command line, which other users of
/// the machine can read (the connection string may hold a password).
/// </summary>
internal sealed record ExecutorSettings
{
    /// <summary>The Redis connection string or URL; null for ARQ_REDIS_URL, then localhost:6379.</summary>
    public string? Redis { get; init; }

    /// <summary>A PowerShell script of actor classes and job functions.</summary>
    public string? ScriptPath { get; init; }

    /// <summary>.NET assemblies whose classes have [JobFunction] methods.</summary>
    public IReadOnlyList<string> Assemblies { get; init; } = [];

    /// <summary>The least important log lines the supervisor wants: below it the executor does not even format them
    /// (Information means a line per job start and end).</summary>
    public ExecutorLogLevel LogLevel { get; init; } = ExecutorLogLevel.Information;

    /// <summary>Starts every line the executor writes for its supervisor: a secret of this run, so that text a job
    /// writes to the executor's standard output (its own, or a process it starts) is never taken for an event.</summary>
    public string EventToken { get; init; } = "";

    /// <summary>How many jobs may run at once until the supervisor says otherwise ("max-jobs N"): one while it sorts
    /// out which job crashed the executor before (see <see cref="CrashTriage"/>); null for MaxJobs.</summary>
    public int? JobLimit { get; init; }

    /// <summary>The worker's settings: queues, MaxJobs, timeouts, tries, keep-result, lease, burst, shutdown delay.</summary>
    public ArqWorkerOptions Worker { get; init; } = new();

    /// <summary>The settings as one line of JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ExecutorSettingsJson.Default.ExecutorSettings);

    /// <summary>Reads settings written by <see cref="ToJson"/>.</summary>
    public static ExecutorSettings FromJson(string json) =>
        JsonSerializer.Deserialize(json, ExecutorSettingsJson.Default.ExecutorSettings)
        ?? throw new ArgumentException("The executor settings are empty.", nameof(json));
}

/// <summary>The settings' JSON, compiled by System.Text.Json's source generator (no reflection: trimmed and Native AOT
/// hosts start executors too).</summary>
[JsonSerializable(typeof(ExecutorSettings))]
internal sealed partial class ExecutorSettingsJson : JsonSerializerContext;
