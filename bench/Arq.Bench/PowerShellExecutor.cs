using System.Diagnostics;
using Arq.Supervision;
using Arq.Worker;

namespace Arq.Bench;

/// <summary>Starts the executor Start-ArqWorker starts (pwsh with the module), supervised, running an actors script.</summary>
internal static class PowerShellExecutor
{
    /// <summary>The no-op job function of <see cref="WriteNoopActorsAsync"/>'s script.</summary>
    public const string NoopFunction = "Noop";

    /// <summary>Writes an actors script with one no-op function to a temporary file; returns its path.</summary>
    public static async Task<string> WriteNoopActorsAsync(string fileName)
    {
        var path = Path.Combine(Path.GetTempPath(), fileName);
        await File.WriteAllTextAsync(path, $"function {NoopFunction}($i) {{ }}\n");
        return path;
    }

    public static ExecutorSupervisor Start(string pwsh, string modulePath, string redis, string actorsScript, ArqWorkerOptions worker)
    {
        return new ExecutorSupervisor(ExecutorCommand.Create(pwsh, modulePath), new ExecutorSettings
        {
            // As a plain Start-ArqWorker runs it: job lines go to the Information stream, which is not shown by default.
            Redis = redis, ScriptPath = actorsScript, LogLevel = ExecutorLogLevel.Warning, Worker = worker,
        });
    }

    /// <summary>Reads the executor's events until it stops, printing its errors and fatal reports (the job lines a
    /// benchmark would drown in are dropped).</summary>
    public static Task RelayProblemsAsync(ExecutorSupervisor supervisor) => Task.Run(async () =>
    {
        await foreach (var executorEvent in supervisor.Events.ReadAllAsync())
        {
            if (executorEvent is ExecutorEvent.Fatal or ExecutorEvent.Log { Level: ExecutorLogLevel.Error })
                Console.Error.WriteLine($"executor: {executorEvent}");
        }
    });

    /// <summary>The executor's working set and peak working set in MB now, or null when it is not running.</summary>
    public static (double Now, double Peak)? MemoryMb(ExecutorSupervisor supervisor)
    {
        if (supervisor.ProcessId is not { } id) return null;
        try
        {
            using var process = Process.GetProcessById(id);
            return (process.WorkingSet64 / 1024.0 / 1024.0, process.PeakWorkingSet64 / 1024.0 / 1024.0);
        }
        catch (ArgumentException)
        {
            return null; // it exited
        }
    }
}
