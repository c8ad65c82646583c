using System.Collections;
using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Arq.Supervision;
using Arq.Worker;

namespace Arq.PowerShell.Executor;

/// <summary>
/// One runspace that has dot-sourced the actors script, with a thread of its own that runs every pipeline of it
/// synchronously (<see cref="PSThreadOptions.UseCurrentThread"/>) through one reused PowerShell instance. A job
/// costs one hand-over to that thread and back, rather than a new PowerShell instance and PowerShell's own
/// asynchronous invocation, whose completion callback can run before the instance has settled.
/// </summary>
internal sealed class ActorRunspace : IDisposable
{
    /// <summary>The error type of a job that ran <c>exit</c> with a code other than 0.</summary>
    public const string ScriptExit = "ScriptExit";

    private readonly BlockingCollection<Action> work = new();
    private readonly Thread thread;
    private readonly Dictionary<string, FunctionInfo> functions = new(StringComparer.OrdinalIgnoreCase);
    private readonly JobHost host = new();
    private Runspace? runspace;
    private System.Management.Automation.PowerShell? shell;
    private JobContext? current; // the running job, whose streams records go to

    private ActorRunspace(string name) =>
        thread = new Thread(Loop) { IsBackground = true, Name = name };

    /// <summary>Starts the runspace's thread, which opens the runspace and dot-sources the script.</summary>
    /// <exception cref="ActorLoadException">The script failed to load (from the returned task).</exception>
    public static Task<ActorRunspace> StartAsync(string scriptPath, IReadOnlyList<string> functions, InitialSessionState state, string name)
    {
        var created = new ActorRunspace(name);
        var ready = new TaskCompletionSource<ActorRunspace>(TaskCreationOptions.RunContinuationsAsynchronously);
        created.thread.Start();
        created.work.Add(() =>
        {
            try
            {
                created.Open(scriptPath, functions, state);
                ready.SetResult(created);
            }
            catch (Exception e)
            {
                created.work.CompleteAdding();
                ready.SetException(e);
            }
        });
        return ready.Task;
    }

    /// <summary>
    /// Calls a function, or a method of the class's actor object in this runspace, with <c>$ArqContext</c> set to
    /// <paramref name="context"/>, whose streams get the records the call writes to PowerShell's error (non-terminating),
    /// warning, verbose, debug and information streams, in order, and whose watchers its progress. Cancellation stops the pipeline; a terminating error
    /// becomes a <see cref="FailJobException"/> with the error's type, message and script position.
    /// </summary>
    public Task<Collection<PSObject>> InvokeAsync(
        string member, string? className, object?[] positional, Hashtable named, JobContext? context, CancellationToken token)
    {
        var done = new TaskCompletionSource<Collection<PSObject>>(TaskCreationOptions.RunContinuationsAsynchronously);
        work.Add(() =>
        {
            try
            {
                done.SetResult(Invoke(member, className, positional, named, context, token));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    private Collection<PSObject> Invoke(
        string member, string? className, object?[] positional, Hashtable named, JobContext? context, CancellationToken token)
    {
        token.ThrowIfCancellationRequested();
        var pipeline = shell ??= NewShell();
        pipeline.Commands.Clear();
        pipeline.Streams.ClearStreams();
        if (className is null)
        {
            // A function is called straight, as the invoker would call it, without the invoker's own binding.
            runspace!.SessionStateProxy.SetVariable("ArqContext", context);
            pipeline.AddCommand(Function(member));
            foreach (var argument in positional) pipeline.AddArgument(argument);
            foreach (DictionaryEntry argument in named) pipeline.AddParameter((string)argument.Key, argument.Value);
        }
        else
        {
            pipeline.AddCommand(ActorRunspaces.InvokerName)
                .AddParameter("Name", member).AddParameter("Class", className)
                .AddParameter("Positional", positional).AddParameter("Named", named).AddParameter("Context", context);
        }
        var stop = token.Register(() => pipeline.BeginStop(null, null));
        host.ExitCode = null;
        current = context;
        try
        {
            var output = pipeline.Invoke();
            if (host.ExitCode is { } code and not 0)
                throw new FailJobException(ScriptExit, $"The job ran 'exit {code}'. A job fails by throwing; exit ends it, as a failure unless its code is 0.");
            return output;
        }
        catch (PipelineStoppedException) when (token.IsCancellationRequested)
        {
            throw new OperationCanceledException(token);
        }
        catch (RuntimeException e)
        {
            // Kept with the job's streams, so that the caller's side can show the error as PowerShell knew it here.
            current?.WriteStream(JobStreamRecords.From(e.ErrorRecord, terminating: true));
            throw Failure(e);
        }
        finally
        {
            current = null;
            stop.Dispose();
            // A stop may still be on its way to this instance: the next job gets a fresh one.
            if (token.IsCancellationRequested)
            {
                pipeline.Dispose();
                shell = null;
            }
        }
    }

    /// <summary>The script's function itself, never a name for PowerShell to resolve: an alias of the same name
    /// (type, del, set ...) would win over the function and run a built-in command instead.</summary>
    private FunctionInfo Function(string name) =>
        functions.TryGetValue(name, out var function) ? function
            : throw new FailJobException(JobErrorTypes.FunctionNotFound, $"The actors script defines no function '{name}'.");

    private System.Management.Automation.PowerShell NewShell()
    {
        var created = System.Management.Automation.PowerShell.Create();
        created.Runspace = runspace;
        // As each record is written, so that the job's streams keep the order of its writes across streams.
        var streams = created.Streams;
        streams.Error.DataAdded += (_, e) => Write(JobStreamRecords.From(streams.Error[e.Index]));
        streams.Warning.DataAdded += (_, e) => Write(JobStreamRecords.From(JobStream.Warning, streams.Warning[e.Index]));
        streams.Verbose.DataAdded += (_, e) => Write(JobStreamRecords.From(JobStream.Verbose, streams.Verbose[e.Index]));
        streams.Debug.DataAdded += (_, e) => Write(JobStreamRecords.From(JobStream.Debug, streams.Debug[e.Index]));
        streams.Information.DataAdded += (_, e) => Write(JobStreamRecords.From(streams.Information[e.Index]));
        streams.Progress.DataAdded += (_, e) => current?.WriteProgress(JobStreamRecords.From(streams.Progress[e.Index]));
        return created;
    }

    private void Write(JobStreamRecord record) => current?.WriteStream(record);

    private void Open(string scriptPath, IReadOnlyList<string> expected, InitialSessionState state)
    {
        runspace = RunspaceFactory.CreateRunspace(host, state);
        runspace.ThreadOptions = PSThreadOptions.UseCurrentThread;
        runspace.Open();
        using var loader = NewShell();
        loader.AddScript($". '{scriptPath.Replace("'", "''")}'").AddStatement().AddScript(ActorRunspaces.InvokerDefinition);
        try
        {
            loader.Invoke();
            // An error the script wrote and went on from, or a throw its own statement swallowed, still means a
            // half-loaded script: stop before any job runs in it.
            if (loader.Streams.Error.FirstOrDefault() is { } error) throw new RuntimeException(error.ToString(), error.Exception, error);
            foreach (var name in expected)
            {
                // A script that ran exit halfway loads without an error, but without the functions after it.
                functions[name] = runspace.SessionStateProxy.InvokeCommand.GetCommand(name, CommandTypes.Function) as FunctionInfo
                    ?? throw new ActorLoadException($"{scriptPath}: the script ended before it defined the function {name} (an exit or return halfway?).");
            }
        }
        catch (Exception e)
        {
            runspace.Dispose();
            if (e is RuntimeException runtime) throw new ActorLoadException($"{ScriptPosition(runtime) ?? scriptPath}: {e.Message}", e);
            throw;
        }
    }

    private void Loop()
    {
        foreach (var item in work.GetConsumingEnumerable()) item();
        shell?.Dispose();
        runspace?.Dispose();
    }

    private static FailJobException Failure(RuntimeException e)
    {
        var error = e.ErrorRecord.Exception ?? e;
        var type = error is ParameterBindingException ? JobErrorTypes.ArgumentBinding : error.GetType().Name;
        var where = ScriptPosition(e) is { } position ? $" (at {position})" : "";
        return new FailJobException(type, error.Message + where, e);
    }

    /// <summary>"file:line" of the script statement that raised the error, or null when it did not come from a file.</summary>
    private static string? ScriptPosition(RuntimeException e) =>
        e.ErrorRecord.InvocationInfo is { ScriptName.Length: > 0 } at ? $"{at.ScriptName}:{at.ScriptLineNumber}" : null;

    /// <summary>Lets the thread finish its work and close the runspace.</summary>
    public void Dispose() => work.CompleteAdding();
}
