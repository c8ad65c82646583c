using Arq.Hosting;

namespace Arq.PowerShell.Executor;

/// <summary>
/// The executor process's entry point: Arq.Core's executor host, with actors from a PowerShell script (run in a pool
/// of runspaces) and from .NET assemblies. Start-ArqWorker starts it as
/// <c>pwsh -Command "Import-Module Arq; exit [Arq.PowerShell.Executor.ExecutorEntry]::Run()"</c>.
/// </summary>
public static class ExecutorEntry
{
    /// <summary>Runs the executor until it is stopped; returns its exit code.</summary>
    public static int Run() => ExecutorHost.RunAsync(Console.In, Console.Out, (settings, functions, log) =>
    {
        RunspaceSlots? slots = null;
        if (settings.ScriptPath is { } script)
            slots = PowerShellActors.Load(script, settings.Worker.MaxJobs, functions, message => log.Log(ExecutorLogLevel.Warning, message));
        foreach (var assembly in settings.Assemblies) ActorAssemblies.Register(functions, assembly);
        return slots;
    }).GetAwaiter().GetResult();
}
