using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Channels;

using Arq.Hosting;

namespace Arq.PowerShell.Executor;

/// <summary>
/// The runspaces PowerShell jobs run in, one per concurrent job at most: each has dot-sourced the actors script
/// once, so its classes, functions, script variables and imported modules are prepared once, not per job. The
/// first is made at start-up, which is where a broken script shows; the others as jobs need them.
/// </summary>
internal sealed class RunspaceSlots : IDisposable
{
    private readonly string scriptPath;
    private readonly int capacity;
    private readonly Channel<Runspace> idle = Channel.CreateUnbounded<Runspace>();
    private readonly List<Runspace> all = [];
    private int created;

    public RunspaceSlots(string scriptPath, int capacity)
    {
        this.scriptPath = scriptPath;
        this.capacity = capacity;
        idle.Writer.TryWrite(Create());
        created = 1;
    }

    /// <summary>An idle runspace, a new one while fewer than the capacity exist, else the next one returned.</summary>
    public async ValueTask<Runspace> RentAsync(CancellationToken cancellationToken)
    {
        if (idle.Reader.TryRead(out var runspace)) return runspace;
        if (Interlocked.Increment(ref created) <= capacity) return await Task.Run(Create, cancellationToken).ConfigureAwait(false);
        Interlocked.Decrement(ref created);
        return await idle.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Return(Runspace runspace) => idle.Writer.TryWrite(runspace);

    private Runspace Create()
    {
        var state = InitialSessionState.CreateDefault2();
        // A job fails on its first error, as an exception fails a .NET job, rather than going on half done.
        state.Variables.Add(new SessionStateVariableEntry("ErrorActionPreference", ActionPreference.Stop, "Arq jobs stop on their first error"));
        var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var load = System.Management.Automation.PowerShell.Create();
        load.Runspace = runspace;
        load.AddScript($". '{scriptPath.Replace("'", "''")}'");
        try
        {
            load.Invoke();
        }
        catch (RuntimeException e)
        {
            runspace.Dispose();
            var at = e.ErrorRecord.InvocationInfo;
            var where = at?.ScriptName is { Length: > 0 } ? $"{at.ScriptName}:{at.ScriptLineNumber}" : scriptPath;
            throw new ActorLoadException($"{where}: {e.Message}", e);
        }
        lock (all) all.Add(runspace);
        return runspace;
    }

    public void Dispose()
    {
        lock (all)
        {
            foreach (var runspace in all) runspace.Dispose();
            all.Clear();
        }
    }
}
