using System.Diagnostics;
using Arq.Supervision;
using Arq.Worker;

namespace Arq.Bench;

/// <summary>Starts the executor Start-ArqWorker starts (pwsh with the module), supervised, running an actors script.</summary>
internal static class PowerShellExecutor
{
    /// <summary>The no-op job function of <see cref="WriteActorsAsync"/>'s script.</summary>
    public const string NoopFunction = "Noop";

    /// <summary>A realistic job function of the script: builds an object from its argument, converts it to JSON and
    /// returns a string of 1 KB, so that the conversion of values in and out is measured too.</summary>
    public const string ReportFunction = "Report";

    /// <summary>Writes the actors script the benchmark runs to a temporary file; returns its path.</summary>
    public static async Task<string> WriteActorsAsync(string fileName)
    {
        var path = Path.Combine(Path.GetTempPath(), fileName);
        await File.WriteAllTextAsync(path, $$"""
            function {{NoopFunction}}($i) { }
            function {{ReportFunction}}($i) {
                $report = [pscustomobject]@{ Id = $i; Name = "item $i"; Tags = @('red', 'green', 'blue'); Amount = $i * 1.5; At = [datetime]::UnixEpoch.AddSeconds($i) }
                ($report | ConvertTo-Json -Compress).PadRight(1024)
            }

            """);
        return path;
    }

    public static ExecutorSupervisor Start(string pwsh, string modulePath, string redis, string actorsScript, ArqWorkerOptions worker)
    {
        var cmdletAssembly = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modulePath))!, "Arq.PowerShell.dll");
        return new ExecutorSupervisor(ExecutorCommand.Create(pwsh, cmdletAssembly), new ExecutorSettings
        {
            // As a plain Start-ArqWorker runs it: job lines go to the Information stream, which is not shown by default.
            Redis = redis, ScriptPath = actorsScript, LogLevel = ExecutorLogLevel.Warning, Worker = worker,
        });
    }

    /// <summary>Reads the executor's events until it stops, printing its errors and fatal reports (the job lines a
    /// benchmark would drown in are dropped); returns the first executor's ready report.</summary>
    public static Task<ExecutorEvent.Ready?> RelayProblemsAsync(ExecutorSupervisor supervisor) => Task.Run(async () =>
    {
        ExecutorEvent.Ready? ready = null;
        await foreach (var executorEvent in supervisor.Events.ReadAllAsync())
        {
            if (executorEvent is ExecutorEvent.Fatal or ExecutorEvent.Log { Level: ExecutorLogLevel.Error })
                Console.Error.WriteLine($"executor: {executorEvent}");
            ready ??= executorEvent as ExecutorEvent.Ready;
        }
        return ready;
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
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null; // it exited, before the lookup or between it and the reading
        }
    }
}
