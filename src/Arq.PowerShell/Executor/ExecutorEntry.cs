using Arq.Supervision;

namespace Arq.PowerShell.Executor;

/// <summary>
/// The executor process's entry point: Arq.Core's executor host, with actors from a PowerShell script (run in a pool
/// of runspaces) and from .NET assemblies. Start-ArqWorker starts it as
/// <c>pwsh -Command "$started = [datetime]::UtcNow; Import-Module .../Arq.PowerShell.dll; exit [Arq.PowerShell.Executor.ExecutorEntry]::Run($started)"</c>
/// (<see cref="ExecutorCommand"/>).
/// </summary>
public static class ExecutorEntry
{
    /// <summary>Runs the executor until it is stopped, then ends the process with its exit code;
    /// <paramref name="engineStarted"/> is when pwsh began to run the executor's command (UTC).</summary>
    public static int Run(DateTime engineStarted)
    {
        StartupStep[] started = [new("pwsh", engineStarted), new("module", DateTime.UtcNow)];
        var exitCode = ExecutorHost.RunAsync(Console.In, Console.Out, (settings, functions, log) =>
        {
            ActorRunspaces? runspaces = null;
            if (settings.ScriptPath is { } script)
                runspaces = PowerShellActors.Load(script, settings.Worker.MaxJobs, functions, message => log.Log(ExecutorLogLevel.Warning, message));
            foreach (var assembly in settings.Assemblies) ActorAssemblies.Register(functions, assembly);
            return runspaces;
        }, started).GetAwaiter().GetResult();
        // The process ends here, not in pwsh's own exit, which would wait for the threads of jobs that ignored their
        // cancellation (their runspaces were retired, or are being): what the executor had to say is written.
        Environment.Exit(exitCode);
        return exitCode;
    }
}
