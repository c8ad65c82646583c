using System.Diagnostics;
using System.Management.Automation;
using Arq.Supervision;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Runs a worker: one executor process, started once, runs every job of PowerShell and .NET actors.</para>
/// <para type="description">Starts one executor process (pwsh with this module) that loads the actors of -Path (a
/// PowerShell script: each class is an actor whose methods are job functions, each function a job function) and of
/// -Assembly (.NET classes with [JobFunction] methods), then runs an Arq worker on the queues. This session
/// supervises it: it relays the executor's log to the Information, Verbose, Warning and Error streams, restarts it
/// if it dies (with a growing pause; the job that crashed it pays a try and the jobs beside it do not; it gives up
/// after five deaths in five minutes that no job explains), and stops it gracefully on
/// Ctrl+C or SIGTERM: running jobs get the shutdown delay to finish, the rest go back to their queue. A second
/// Ctrl+C or SIGTERM kills it at once. With -Burst it returns when the queues are empty and emits a summary. An
/// actors script that does not load stops the command before any job is claimed, naming the file and line.</para>
/// <example><code>Start-ArqWorker -Path ./actors.ps1 -Queue high, arq:queue -MaxJobs 20</code><para>Runs the actors of actors.ps1 until Ctrl+C or SIGTERM, up to 20 jobs at once, taking jobs from high before arq:queue.</para></example>
/// <example><code>Start-ArqWorker -Assembly ./bin/MyActors.dll -Burst -InformationAction Continue</code><para>Runs the .NET actors of MyActors.dll until the queue is empty, shows a line per job, and returns a summary of the run.</para></example>
/// <example><code>pwsh -NoProfile -File ./worker.ps1   # under systemd: SIGTERM stops it gracefully, exit code 0</code><para>Runs a script that calls Start-ArqWorker, as a service manager does: SIGTERM lets running jobs finish within the shutdown delay, and pwsh exits with code 0.</para></example>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "ArqWorker")]
[OutputType("Arq.Worker.WorkerSummary")] // by name: the type lives in the isolated dependencies
public sealed class StartArqWorkerCommand : ArqCmdlet
{
    private static readonly TimeSpan SignalDebounce = TimeSpan.FromMilliseconds(300);
    /// <summary>The worker's own defaults are the parameters' defaults: one place says what they are.</summary>
    private static readonly Worker.ArqWorkerOptions Defaults = new();
    private ExecutorSupervisor? supervisor;
    private long lastStopRequest;
    private bool relaying = true;

    /// <summary><para type="description">A PowerShell script of actors: classes (ClassName.MethodName) and functions (by name).</para></summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary><para type="description">.NET assemblies whose public classes have [JobFunction] methods (ActorName.MethodName).</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Assembly { get; set; }

    /// <summary><para type="description">The queues to take jobs from, highest priority first; arq:queue by default.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(QueueCompleter))]
    public string[]? Queue { get; set; }

    /// <summary><para type="description">How many jobs run at once (and how many runspaces PowerShell actors get).</para></summary>
    [Parameter]
    [ValidateRange(1, 10_000)]
    public int MaxJobs { get; set; } = Defaults.MaxJobs;

    /// <summary><para type="description">How long a try may run before it fails with a timeout: seconds, or a time span such as '00:10:00'.</para></summary>
    [Parameter]
    [Duration]
    public TimeSpan JobTimeout { get; set; } = Defaults.JobTimeout;

    /// <summary><para type="description">How many tries a job gets.</para></summary>
    [Parameter]
    [ValidateRange(1, 1_000)]
    public int MaxTries { get; set; } = Defaults.MaxTries;

    /// <summary><para type="description">How long results are kept: seconds, or a time span such as '1.00:00:00'; zero keeps none. A function's own setting wins.</para></summary>
    [Parameter]
    [Duration(AllowZero = true, Hint = "Use -KeepResultForever to keep results for ever, 0 to keep none.")]
    public TimeSpan KeepResult { get; set; } = Defaults.KeepResult;

    /// <summary><para type="description">Keep results for ever (arq's keep_result_forever): the result keys get no expiry. A function's own setting wins.</para></summary>
    [Parameter]
    public SwitchParameter KeepResultForever { get; set; }

    /// <summary><para type="description">How long a running job's claim holds without renewal (seconds, or a time span; at least 0.3 s): a killed worker's jobs run again elsewhere within it.</para></summary>
    [Parameter]
    [Duration]
    public TimeSpan LeaseTime { get; set; } = Defaults.LeaseTime;

    /// <summary><para type="description">How much of what each job writes to its warning, verbose, information and error streams is kept with its result, in bytes of text (64 KB by default); past it records are counted, not kept, and Receive-ArqJob says how many. 0 keeps none.</para></summary>
    [Parameter]
    [ValidateRange(0, 16 * 1024 * 1024)]
    public int MaxStreamBytes { get; set; } = Defaults.MaxStreamBytes;

    /// <summary><para type="description">At most this many jobs start per period on each queue, counted in Redis by every worker of the queue together (give them all the same limit): '10/s', '100/min', '5/10s'. Jobs over it wait in the queue without spending a try. A function can have its own: [ArqFunction(RateLimit = '10/s')].</para></summary>
    [Parameter]
    [ValidateRateLimit]
    public string? RateLimit { get; set; }

    /// <summary><para type="description">How many jobs that failed for good each queue keeps as dead letters (1000 by default; 0 keeps none), to list with Get-ArqJob -State Failed and submit again with Restart-ArqJob.</para></summary>
    [Parameter]
    [ValidateRange(0, 1_000_000)]
    public int KeepFailed { get; set; } = Defaults.KeepFailed;

    /// <summary><para type="description">How long a dead letter is kept: seconds, or a time span such as '7.00:00:00' (7 days by default).</para></summary>
    [Parameter]
    [Duration]
    public TimeSpan KeepFailedFor { get; set; } = Defaults.KeepFailedFor;

    /// <summary><para type="description">Return when the queues are empty, emitting a summary of the run.</para></summary>
    [Parameter]
    public SwitchParameter Burst { get; set; }

    /// <summary><para type="description">On stop, how long running jobs may take to finish before they are cancelled and handed back: seconds, or a time span; zero cancels them at once.</para></summary>
    [Parameter]
    [Duration(AllowZero = true)]
    public TimeSpan ShutdownDelay { get; set; } = Defaults.ShutdownDelay;

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (Path is null && Assembly is null)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Give the actors: -Path for a PowerShell script, -Assembly for .NET assemblies, or both."),
                "NoActors", ErrorCategory.InvalidArgument, null));
        if (KeepResultForever && MyInvocation.BoundParameters.ContainsKey(nameof(KeepResult)))
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Give -KeepResult or -KeepResultForever, not both."),
                "KeepResultTwice", ErrorCategory.InvalidArgument, null));

        var settings = new ExecutorSettings
        {
            Redis = Redis ?? ClientCache.SessionDefault,
            ScriptPath = Path is null ? null : ExistingFile(Path),
            Assemblies = (Assembly ?? []).Select(ExistingFile).ToList(),
            LogLevel = RelayedLevel(),
            Worker = new Worker.ArqWorkerOptions
            {
                Queues = Queue ?? [Protocol.ArqKeys.DefaultQueue],
                MaxJobs = MaxJobs,
                MaxStreamBytes = MaxStreamBytes,
                JobTimeout = JobTimeout,
                MaxTries = MaxTries,
                KeepResult = KeepResultForever ? Timeout.InfiniteTimeSpan : KeepResult,
                LeaseTime = LeaseTime,
                RateLimit = RateLimit is null ? null : Worker.RateLimit.Parse(RateLimit),
                KeepFailed = KeepFailed,
                KeepFailedFor = KeepFailedFor,
                Burst = Burst,
                ShutdownDelay = ShutdownDelay,
            },
        };
        var start = ExecutorCommand.Create(ExecutorCommand.CurrentPwsh((string)SessionState.PSVariable.GetValue("PSHOME")), typeof(StartArqWorkerCommand).Assembly.Location);
        // Jobs resolve relative paths where the worker was started, as the user expects, not where pwsh was.
        start.WorkingDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        try
        {
            supervisor = new ExecutorSupervisor(start, settings, new SupervisorOptions { StopTimeout = ShutdownDelay + TimeSpan.FromSeconds(15) });
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidWorkerSetting", ErrorCategory.InvalidArgument, null));
            throw; // not reached
        }

        using var signals = StopSignals.Register(() => RequestStop());
        using var launcher = ToolLauncherWatch.Start(() => RequestStop(
            "The .NET tool's pwsh launcher that started this session has exited without passing its signal on; stopping gracefully."));
        try
        {
            var run = supervisor.RunAsync();
            while (supervisor.Events.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                while (supervisor.Events.TryRead(out var executorEvent)) Relay(executorEvent);
            var summary = run.GetAwaiter().GetResult();
            if (Burst && relaying) WriteObject(summary);
        }
        catch (ExecutorFailedException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "ArqWorkerFailed", ErrorCategory.OperationStopped, Path ?? string.Join(", ", Assembly ?? [])));
        }
        if (!relaying) throw new PipelineStoppedException();
    }

    /// <inheritdoc/>
    protected override void StopProcessing()
    {
        base.StopProcessing();
        RequestStop();
    }

    /// <summary>The first request stops the executor gracefully, a later one kills it. Ctrl+C reaches us both as
    /// PowerShell's stop and as SIGINT, so requests close together count once.</summary>
    private void RequestStop(string? reason = null)
    {
        var now = Stopwatch.GetTimestamp();
        var previous = Interlocked.Exchange(ref lastStopRequest, now);
        if (previous != 0 && Stopwatch.GetElapsedTime(previous, now) < SignalDebounce) return;
        supervisor?.Stop(reason);
    }

    private void Relay(ExecutorEvent executorEvent)
    {
        if (!relaying) return;
        try
        {
            // Log lines carry job ids, function names and whatever jobs print: text anyone who can write to Redis
            // chooses, on its way to the operator's terminal.
            switch (executorEvent is ExecutorEvent.Log { } raw ? raw with { Message = TerminalText.Clean(raw.Message, keepLineBreaks: true) } : executorEvent)
            {
                case ExecutorEvent.Log { Level: ExecutorLogLevel.Debug } log: WriteVerbose(log.Message); break;
                case ExecutorEvent.Log { Level: ExecutorLogLevel.Information } log: WriteInformation(new InformationRecord(log.Message, "Arq")); break;
                case ExecutorEvent.Log { Level: ExecutorLogLevel.Warning } log: WriteWarning(log.Message); break;
                case ExecutorEvent.Log log:
                    WriteError(new ErrorRecord(new ArqException(log.Message), "ArqExecutorError", ErrorCategory.NotSpecified, null));
                    break;
                case ExecutorEvent.Ready ready:
                    WriteVerbose($"Executor {ready.ProcessId} runs {ready.Functions.Count} job functions: {string.Join(", ", ready.Functions)}");
                    WriteVerbose($"Executor {ready.ProcessId} started in {StartupStep.Describe(ready.Startup)}");
                    break;
                case ExecutorEvent.Restarting restart:
                    WriteWarning($"The executor exited with code {restart.ExitCode}; starting another in {restart.Delay.TotalSeconds:0.#}s (restart {restart.Attempt}).");
                    break;
                case ExecutorEvent.Stopped stopped:
                    WriteVerbose($"Executor stopped: {stopped.Summary}");
                    break;
            }
        }
        catch (PipelineStoppedException)
        {
            // Ctrl+C: keep waiting for the executor to stop, but write nothing more.
            relaying = false;
        }
    }

    /// <summary>The least important lines this invocation shows: the executor does not format the rest (a line per
    /// job costs it and this session real time at thousands of jobs a second).</summary>
    private ExecutorLogLevel RelayedLevel()
    {
        bool Shows(string parameter, string preference) =>
            MyInvocation.BoundParameters.TryGetValue(parameter, out var bound) ? bound is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore)
            : GetVariableValue(preference) is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore or null);
        if (MyInvocation.BoundParameters.ContainsKey("Verbose") ? ((SwitchParameter)MyInvocation.BoundParameters["Verbose"]).IsPresent : Shows("Verbose", "VerbosePreference"))
            return ExecutorLogLevel.Debug;
        return Shows("InformationAction", "InformationPreference") || MyInvocation.BoundParameters.ContainsKey("InformationVariable")
            ? ExecutorLogLevel.Information
            : ExecutorLogLevel.Warning;
    }

    private string ExistingFile(string path)
    {
        var resolved = GetUnresolvedProviderPathFromPSPath(path);
        if (!File.Exists(resolved))
            ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"No such file: {resolved}", resolved), "FileNotFound", ErrorCategory.ObjectNotFound, path));
        return resolved;
    }
}
