using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Channels;
using System.Collections.ObjectModel;
using Arq.Hosting;
using Arq.Worker;

namespace Arq.PowerShell.Executor;

/// <summary>
/// The runspaces PowerShell jobs run in, at most one per concurrent job: each has dot-sourced the actors script once,
/// so its classes, functions, script variables and imported modules are prepared once, not per job. The first is
/// made at start-up, which is where a broken script shows. The pool grows one runspace at a time while every
/// runspace is busy, taking whichever comes first, a runspace coming back or the new one, so short jobs do not
/// pay for runspaces they never needed.
/// </summary>
internal sealed class RunspaceSlots : IDisposable
{
    /// <summary>The function each runspace defines once (compiling a script per job would cost milliseconds).</summary>
    internal const string InvokerName = "Invoke-ArqJobFunction";

    internal const string InvokerDefinition = """
        function global:Invoke-ArqJobFunction {
            param([string] $Name, [string] $Class, [object[]] $Positional, [hashtable] $Named, $Context)
            $global:ArqJob = $Context
            if (-not $Class) { return & $Name @Positional @Named }
            if ($null -eq $global:ArqActors) { $global:ArqActors = @{} }
            $actor = $global:ArqActors[$Class]
            if ($null -eq $actor) { $actor = $global:ArqActors[$Class] = New-Object -TypeName $Class }
            $actor.$Name.Invoke($Positional)
        }
        """;

    private readonly string scriptPath;
    private readonly int capacity;
    private readonly InitialSessionState state = CreateState();
    private readonly Channel<Runspace> idle = Channel.CreateUnbounded<Runspace>();
    private readonly List<Runspace> all = [];
    private int created;
    private int growing;

    public RunspaceSlots(string scriptPath, int capacity)
    {
        this.scriptPath = scriptPath;
        this.capacity = capacity;
        idle.Writer.TryWrite(Create());
        created = 1;
    }

    /// <summary>An idle runspace that loaded the script.</summary>
    public async ValueTask<Runspace> RentAsync(CancellationToken cancellationToken)
    {
        if (idle.Reader.TryRead(out var runspace)) return runspace;
        if (Volatile.Read(ref created) < capacity && Interlocked.CompareExchange(ref growing, 1, 0) == 0)
        {
            _ = Task.Run(() =>
            {
                try
                {
                    idle.Writer.TryWrite(Create());
                    Interlocked.Increment(ref created);
                }
                finally
                {
                    Volatile.Write(ref growing, 0);
                }
            }, CancellationToken.None);
        }
        return await idle.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Return(Runspace runspace) => idle.Writer.TryWrite(runspace);

    /// <summary>
    /// Calls a function, or a method of the class's actor object in that runspace, in an idle runspace, with
    /// <c>$ArqJob</c> set to <paramref name="context"/>. Cancellation stops the pipeline; a terminating error becomes
    /// a <see cref="JobErrorException"/> with the error's type, message and script position.
    /// </summary>
    public async Task<(Collection<PSObject> Output, IReadOnlyList<string> Warnings)> InvokeAsync(
        string member, string? className, object?[] positional, Hashtable named, JobContext? context, CancellationToken token)
    {
        var runspace = await RentAsync(token).ConfigureAwait(false);
        try
        {
            using var shell = System.Management.Automation.PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddCommand(InvokerName)
                .AddParameter("Name", member).AddParameter("Class", className)
                .AddParameter("Positional", positional).AddParameter("Named", named).AddParameter("Context", context);
            using var stop = token.Register(() => shell.BeginStop(null, null));
            var output = await Task.Factory.FromAsync(shell.BeginInvoke(), shell.EndInvoke).ConfigureAwait(false);
            return (new Collection<PSObject>(output), shell.Streams.Warning.Select(w => w.Message).ToList());
        }
        catch (PipelineStoppedException) when (token.IsCancellationRequested)
        {
            throw new OperationCanceledException(token);
        }
        catch (RuntimeException e)
        {
            throw Failure(e);
        }
        finally
        {
            Return(runspace);
        }
    }

    private static JobErrorException Failure(RuntimeException e)
    {
        var record = e.ErrorRecord;
        var error = record.Exception ?? e;
        var type = error is ParameterBindingException ? JobErrors.ArgumentBinding : error.GetType().Name;
        var at = record.InvocationInfo;
        var where = at?.ScriptName is { Length: > 0 } ? $" (at {at.ScriptName}:{at.ScriptLineNumber})" : "";
        return new JobErrorException(type, error.Message + where, e);
    }

    /// <summary>The session state every runspace starts from, built once: building it is much of a runspace's cost.</summary>
    private static InitialSessionState CreateState()
    {
        var state = InitialSessionState.CreateDefault2();
        // A job fails on its first error, as an exception fails a .NET job, rather than going on half done.
        state.Variables.Add(new SessionStateVariableEntry("ErrorActionPreference", ActionPreference.Stop, "Arq jobs stop on their first error"));
        return state;
    }

    private Runspace Create()
    {
        var runspace = RunspaceFactory.CreateRunspace(state);
        // By default a local runspace starts a new thread for every pipeline: one per job. Keep one per runspace.
        runspace.ThreadOptions = PSThreadOptions.ReuseThread;
        runspace.Open();
        using var shell = System.Management.Automation.PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript($". '{scriptPath.Replace("'", "''")}'").AddStatement().AddScript(InvokerDefinition);
        try
        {
            shell.Invoke();
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
