using System.Text.Json;
using System.Text.Json.Nodes;
using Arq.Worker;

namespace Arq.Supervision;

/// <summary>How much a log line matters, as the executor reports it.</summary>
internal enum ExecutorLogLevel
{
    /// <summary>Detail for diagnosis (PowerShell's Verbose stream).</summary>
    Debug,

    /// <summary>What the worker does: jobs starting and ending (PowerShell's Information stream).</summary>
    Information,

    /// <summary>Something went wrong but the worker goes on: a failed job, a lost connection.</summary>
    Warning,

    /// <summary>Something the operator must look at.</summary>
    Error,
}

/// <summary>What a supervisor learns from and about its executor, in order.</summary>
internal abstract record ExecutorEvent
{
    /// <summary>A log line of the executor.</summary>
    public sealed record Log(ExecutorLogLevel Level, string Message) : ExecutorEvent;

    /// <summary>The executor has loaded its actors and is about to claim jobs; <paramref name="Startup"/> says when it
    /// ended each step of its start-up.</summary>
    public sealed record Ready(int ProcessId, IReadOnlyList<string> Functions, IReadOnlyList<StartupStep> Startup) : ExecutorEvent;

    /// <summary>The executor's worker stopped with these counts.</summary>
    public sealed record Stopped(WorkerSummary Summary) : ExecutorEvent;

    /// <summary>The executor could not start its worker (its actors failed to load); it will not be restarted.</summary>
    public sealed record Fatal(string Message) : ExecutorEvent;

    /// <summary>The executor died and the supervisor starts another after a pause.</summary>
    public sealed record Restarting(int ExitCode, int Attempt, TimeSpan Delay) : ExecutorEvent;

    /// <summary>Writes the event as one line of JSON, the way executors report to their supervisor.</summary>
    public string ToJson() => this switch
    {
        Log log => new JsonObject { ["level"] = log.Level.ToString(), ["message"] = log.Message }.ToJsonString(),
        Ready ready => new JsonObject
        {
            ["event"] = "ready", ["pid"] = ready.ProcessId, ["functions"] = new JsonArray([.. ready.Functions.Select(f => JsonValue.Create(f))]),
            ["startup"] = new JsonArray([.. ready.Startup.Select(step => new JsonObject { ["step"] = step.Name, ["at"] = step.At })]),
        }.ToJsonString(),
        Stopped stopped => new JsonObject
        {
            ["event"] = "stopped", ["complete"] = stopped.Summary.Complete, ["failed"] = stopped.Summary.Failed,
            ["retried"] = stopped.Summary.Retried, ["timedOut"] = stopped.Summary.TimedOut, ["seconds"] = stopped.Summary.Duration.TotalSeconds,
        }.ToJsonString(),
        Fatal fatal => new JsonObject { ["event"] = "fatal", ["message"] = fatal.Message }.ToJsonString(),
        _ => throw new InvalidOperationException($"{GetType().Name} is the supervisor's own event, not an executor's."),
    };

    /// <summary>Reads a line an executor wrote: a line that starts with the run's <paramref name="eventToken"/> is
    /// one of its events; any other line (text a job wrote to standard output) is logged as it is.</summary>
    public static ExecutorEvent Parse(string line, string eventToken) =>
        line.StartsWith(eventToken, StringComparison.Ordinal) ? Parse(line[eventToken.Length..]) : new Log(ExecutorLogLevel.Information, line);

    /// <summary>Reads an event's JSON; text that is not one of ours is logged as it is.</summary>
    public static ExecutorEvent Parse(string line)
    {
        try
        {
            if (line.StartsWith('{') && JsonNode.Parse(line) is JsonObject json)
            {
                switch ((string?)json["event"])
                {
                    case "ready":
                        return new Ready((int)json["pid"]!, json["functions"]!.AsArray().Select(f => (string)f!).ToList(),
                            json["startup"]?.AsArray().Select(step => new StartupStep((string)step!["step"]!, ((DateTime)step["at"]!).ToUniversalTime())).ToList() ?? []);
                    case "stopped":
                        return new Stopped(new WorkerSummary((long)json["complete"]!, (long)json["failed"]!, (long)json["retried"]!,
                            (long)json["timedOut"]!, TimeSpan.FromSeconds((double)json["seconds"]!)));
                    case "fatal": return new Fatal((string)json["message"]!);
                    case null when Enum.TryParse<ExecutorLogLevel>((string?)json["level"], out var level):
                        return new Log(level, (string?)json["message"] ?? "");
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException)
        {
            // Not our JSON after all: fall through and log the line as it is.
        }
        return new Log(ExecutorLogLevel.Information, line);
    }
}
