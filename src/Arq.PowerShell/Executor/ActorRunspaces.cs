using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Channels;
using System.Collections.ObjectModel;
using Arq.Worker;

namespace Arq.PowerShell.Executor;

/// <summary>
/// The runspaces PowerShell jobs run in, at most one per concurrent job: each has dot-sourced the actors script once,
/// so its classes, functions, script variables and imported modules are prepared once, not per job. The first is
/// made at start-up, which is where a broken script shows. The pool grows one runspace at a time while every
/// runspace has been busy for <see cref="GrowAfter"/>, taking whichever comes first, a runspace coming back or the new
/// one, so short jobs do not pay for runspaces they never needed. Each runspace runs on a thread of its own (<see cref="ActorRunspace"/>).
/// </summary>
internal sealed class ActorRunspaces : IDisposable
{
    /// <summary>The function each runspace defines once (compiling a script per job would cost milliseconds).</summary>
    internal const string InvokerName = "Invoke-ArqJobFunction";

    internal const string InvokerDefinition = """
        function global:Invoke-ArqJobFunction {
            param([string] $Name, [string] $Class, [object[]] $Positional, [hashtable] $Named, $Context)
            $global:ArqContext = $Context
            # The function itself, never a name to resolve: an alias of the same name would run instead.
            if (-not $Class) { return & $ExecutionContext.InvokeCommand.GetCommand($Name, 'Function') @Positional @Named }
            if ($null -eq $global:ArqActors) { $global:ArqActors = @{} }
            $actor = $global:ArqActors[$Class]
            if ($null -eq $actor) { $actor = $global:ArqActors[$Class] = New-Object -TypeName $Class }
            $actor.$Name.Invoke($Positional)
        }
        """;

    /// <summary>How long a cancelled job's pipeline may take to stop before its runspace is retired.</summary>
    internal static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly string scriptPath;
    private readonly Action<string> warn;
    private readonly IReadOnlyList<string> functions;
    private readonly int capacity;
    private readonly InitialSessionState state = CreateState();
    private readonly Channel<ActorRunspace> idle = Channel.CreateUnbounded<ActorRunspace>();
    private readonly List<ActorRunspace> all = [];
    private int created;
    private int growing;

    /// <summary>Opens the first runspace; <paramref name="functions"/> are the script's functions that jobs and
    /// hooks call, each of which every runspace must have defined once the script has run.</summary>
    public ActorRunspaces(string scriptPath, int capacity, IReadOnlyList<string> functions, Action<string> warn)
    {
        this.scriptPath = scriptPath;
        this.warn = warn;
        this.functions = functions;
        this.capacity = capacity;
        idle.Writer.TryWrite(CreateAsync().GetAwaiter().GetResult());
        created = 1;
    }

    /// <summary>
    /// How long a job waits for a busy runspace to come back before the pool grows. Short jobs give theirs back within
    /// it, so they are served by about as many runspaces as keep the cores busy, not one per concurrent job (each
    /// costs its script's load and several MB); jobs that hold theirs (a sleep, a slow call) grow the pool as before.
    /// </summary>
    internal static readonly TimeSpan GrowAfter = TimeSpan.FromMilliseconds(20);

    /// <summary>An idle runspace that loaded the script.</summary>
    private async ValueTask<ActorRunspace> RentAsync(CancellationToken cancellationToken)
    {
        if (idle.Reader.TryRead(out var runspace)) return runspace;
        if (Volatile.Read(ref created) < capacity)
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            patience.CancelAfter(GrowAfter);
            try
            {
                return await idle.Reader.ReadAsync(patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // None came back in time: every runspace is held by a job that takes a while.
            }
        }
        if (Volatile.Read(ref created) < capacity && Interlocked.CompareExchange(ref growing, 1, 0) == 0)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    idle.Writer.TryWrite(await CreateAsync().ConfigureAwait(false));
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

    /// <summary>
    /// Calls a function, or a method of the class's actor object in that runspace, in an idle runspace, with
    /// <c>$ArqContext</c> set to <paramref name="context"/> (see <see cref="ActorRunspace.InvokeAsync"/>).
    /// </summary>
    public async Task<Collection<PSObject>> InvokeAsync(
        string member, string? className, object?[] positional, Hashtable named, JobContext? context, CancellationToken token)
    {
        var runspace = await RentAsync(token).ConfigureAwait(false);
        var running = runspace.InvokeAsync(member, className, positional, named, context, token);
        try
        {
            await running.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!running.IsCompleted)
        {
            await StopAsync(runspace, running).ConfigureAwait(false);
            throw;
        }
        catch (Exception) when (running.IsCompleted)
        {
            // The job's own outcome, read below.
        }
        idle.Writer.TryWrite(runspace);
        return await running.ConfigureAwait(false);
    }

    /// <summary>
    /// After a job's cancellation (which stops its pipeline): its runspace leaves the pool's count at once, so that
    /// later jobs get a new one rather than wait, and comes back if the job stops within <see cref="StopGrace"/>. A
    /// job in a .NET call that does not return (a sleep, a wait, a blocking read) never sees the stop: its runspace is
    /// retired with a warning, and closes when the job returns (.NET cannot end a thread).
    /// </summary>
    private async Task StopAsync(ActorRunspace runspace, Task running)
    {
        Interlocked.Decrement(ref created);
        if (await Task.WhenAny(running, Task.Delay(StopGrace, CancellationToken.None)).ConfigureAwait(false) == running)
        {
            if (Interlocked.Increment(ref created) <= capacity)
            {
                idle.Writer.TryWrite(runspace);
                return;
            }
            Interlocked.Decrement(ref created); // a new runspace has taken its place already
        }
        else
        {
            warn($"A job did not stop within {StopGrace.TotalSeconds:0} s of its cancellation: its runspace is retired and a new one takes its place. " +
                "Its thread runs on until the job returns; a job that blocks in a .NET call should watch $ArqContext.CancellationToken.");
        }
        lock (all) all.Remove(runspace);
        _ = running.ContinueWith(_ => runspace.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>The session state every runspace starts from, built once: building it is much of a runspace's cost.</summary>
    private static InitialSessionState CreateState()
    {
        var state = InitialSessionState.CreateDefault2();
        // A job fails on its first error, as an exception fails a .NET job, rather than going on half done.
        state.Variables.Add(new SessionStateVariableEntry("ErrorActionPreference", ActionPreference.Stop, "Arq jobs stop on their first error"));
        return state;
    }

    private async Task<ActorRunspace> CreateAsync()
    {
        var runspace = await ActorRunspace.StartAsync(scriptPath, functions, state, $"Arq runspace {Volatile.Read(ref created) + 1}").ConfigureAwait(false);
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
