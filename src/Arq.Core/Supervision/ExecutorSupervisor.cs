using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading.Channels;
using StackExchange.Redis;
using Arq.Worker;

namespace Arq.Supervision;

/// <summary>
/// Runs an executor process (one process for every job, started up front), relays what it reports, stops it
/// gracefully when asked (and kills it when asked again, or when it outlives the stop timeout), and starts another
/// when it dies, with a growing pause, until it dies too often. The executor reads its settings from the first line
/// of its standard input and a stop request ("stop", or the end of input) from the lines after; it writes
/// <see cref="ExecutorEvent"/> JSON lines to its standard output, each after a token secret to this supervisor, so
/// that what a job prints there is relayed as a log line and never read as an event.
/// </summary>
internal sealed class ExecutorSupervisor
{
    private readonly ProcessStartInfo startInfo;
    private readonly ExecutorSettings settings;
    private readonly CrashTriage triage;
    private readonly string eventToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) + " ";
    private readonly SupervisorOptions options;
    private readonly Channel<ExecutorEvent> events = Channel.CreateUnbounded<ExecutorEvent>(new UnboundedChannelOptions { SingleReader = true });
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource stopping = new();
    private readonly object gate = new();
    private Process? current;
    private bool alone; // the executor runs one job at a time until the triage has sorted out the last crash
    private int stopRequests;

    /// <summary>Prepares to run the executor that <paramref name="startInfo"/> starts, with these settings.</summary>
    /// <exception cref="ArgumentException">The worker settings are not valid: refused here, before any process starts.</exception>
    public ExecutorSupervisor(ProcessStartInfo startInfo, ExecutorSettings settings, SupervisorOptions? options = null)
    {
        settings.Worker.Validate();
        this.startInfo = startInfo;
        this.options = options ?? new SupervisorOptions();
        this.settings = settings with { EventToken = eventToken };
        triage = new CrashTriage(settings.Redis, settings.Worker.Queues, settings.Worker.KeyLayout);
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.UseShellExecute = false;
    }

    /// <summary>What the executor reports, and the supervisor's restarts, in order; completes when the run ends.</summary>
    public ChannelReader<ExecutorEvent> Events => events.Reader;

    /// <summary>The process id of the running executor, if one runs.</summary>
    public int? ProcessId
    {
        get { lock (gate) return current is { HasExited: false } ? current.Id : null; }
    }

    /// <summary>
    /// Runs executors until one stops as asked or ends a burst, and returns the counts of all of them.
    /// </summary>
    /// <exception cref="ExecutorFailedException">The actors failed to load, or the executor died too often.</exception>
    public async Task<WorkerSummary> RunAsync()
    {
        var total = new WorkerSummary(0, 0, 0, 0, TimeSpan.Zero);
        var restarts = new Queue<DateTime>();
        var restartCount = 0;
        var clock = Stopwatch.StartNew();
        using var stopTicking = new CancellationTokenSource();
        var ticking = TickTriageAsync(stopTicking.Token);
        try
        {
            while (true)
            {
                var workerId = $"{Environment.MachineName}:{Environment.ProcessId}:{restartCount}:{Guid.NewGuid():N}";
                var started = clock.Elapsed;
                // After a crash whose job is not known yet, one job at a time: then the next crash names its job.
                var once = settings with { Worker = settings.Worker with { WorkerId = workerId }, JobLimit = triage.Busy ? 1 : null };
                var (exitCode, summary, fatal) = await RunOnceAsync(once).ConfigureAwait(false);
                if (summary is not null) total = Add(total, summary);
                // The exit code alone proves nothing: a job may end the process with any code.
                if (fatal is not null) throw new ExecutorFailedException(fatal);
                if ((exitCode == ExecutorExitCode.Stopped && summary is not null) || stopping.IsCancellationRequested)
                    return total with { Duration = clock.Elapsed, Restarts = restartCount };

                var convicted = await TriageAsync(exitCode, workerId).ConfigureAwait(false);
                var now = DateTime.UtcNow;
                if (clock.Elapsed - started >= options.HealthyRun) restarts.Clear();
                while (restarts.Count > 0 && now - restarts.Peek() > options.RestartWindow) restarts.Dequeue();
                if (!convicted && restarts.Count >= options.MaxRestarts)
                    throw new ExecutorFailedException(
                        $"The executor died {restarts.Count + 1} times within {options.RestartWindow} (last exit code {exitCode}); giving up.");
                var delay = options.RestartDelay * Math.Pow(2, restarts.Count);
                if (!convicted) restarts.Enqueue(now);
                restartCount++;
                events.Writer.TryWrite(new ExecutorEvent.Restarting(exitCode, restartCount, delay));
                try
                {
                    await Task.Delay(delay, stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return total with { Duration = clock.Elapsed, Restarts = restartCount };
                }
            }
        }
        finally
        {
            await stopTicking.CancelAsync().ConfigureAwait(false);
            await ticking.ConfigureAwait(false);
            await triage.DisposeAsync().ConfigureAwait(false);
            events.Writer.TryComplete();
        }
    }

    /// <summary>Says which jobs the dead executor was running and sorts the culprit from the bystanders; true when
    /// the culprit is known (the death then does not count against the restart budget).</summary>
    private async Task<bool> TriageAsync(int exitCode, string workerId)
    {
        string report;
        var convicted = false;
        try
        {
            (report, convicted) = await triage.AfterCrashAsync(workerId).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or ArqConnectionException)
        {
            report = $"Its jobs could not be looked up ({e.Message}); they run again when their leases expire.";
        }
        events.Writer.TryWrite(new ExecutorEvent.Log(ExecutorLogLevel.Warning, $"The executor died (exit code {exitCode}). {report}"));
        return convicted;
    }

    /// <summary>Renews the holds of the jobs a crash left to sort out and releases them one at a time.</summary>
    private async Task TickTriageAsync(CancellationToken cancellationToken)
    {
        // Often enough that jobs held after a crash run one after another without gaps; it is idle otherwise.
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await triage.TickAsync().ConfigureAwait(false);
                    LiftJobLimitOnceSorted();
                }
                catch (Exception e) when (e is RedisException or ArqConnectionException)
                {
                    // Redis is away: the holds expire by themselves if it stays away, and the next tick tries again.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    /// <summary>Once the triage has no job left to sort out, the executor runs MaxJobs at once again.</summary>
    private void LiftJobLimitOnceSorted()
    {
        lock (gate)
        {
            if (!alone || triage.Busy || current is null) return;
            alone = false;
            Send(current, $"max-jobs {settings.Worker.MaxJobs}");
        }
    }

    /// <summary>
    /// The first call asks the executor to stop gracefully (its running jobs finish within the shutdown delay);
    /// a second call, or the stop timeout, kills it at once. A <paramref name="reason"/> is relayed as a warning.
    /// </summary>
    public void Stop(string? reason = null)
    {
        var request = Interlocked.Increment(ref stopRequests);
        if (reason is not null) events.Writer.TryWrite(new ExecutorEvent.Log(ExecutorLogLevel.Warning, reason));
        stopping.Cancel();
        Process? process;
        lock (gate)
        {
            process = current;
            if (process is not null && request == 1) Send(process, "stop");
        }
        if (process is null) return;
        if (request == 1) _ = KillAfterAsync(process, options.StopTimeout);
        else Kill(process);
    }

    private async Task<(int ExitCode, WorkerSummary? Summary, string? Fatal)> RunOnceAsync(ExecutorSettings settings)
    {
        using var process = new Process { StartInfo = startInfo };
        WorkerSummary? summary = null;
        string? fatal = null;
        process.Start();
        lock (gate)
        {
            // The settings first, then any request: lines on standard input are written under the lock.
            current = process;
            alone = settings.JobLimit is not null;
            Send(process, settings.ToJson());
            if (stopping.IsCancellationRequested) Send(process, "stop");
        }

        var errors = PumpAsync(process.StandardError, line => events.Writer.TryWrite(new ExecutorEvent.Log(ExecutorLogLevel.Error, line)));
        var output = PumpAsync(process.StandardOutput, line =>
        {
            var parsed = ExecutorEvent.Parse(line, eventToken);
            if (parsed is ExecutorEvent.Stopped stopped) summary = stopped.Summary;
            if (parsed is ExecutorEvent.Fatal dead) fatal = dead.Message;
            events.Writer.TryWrite(parsed);
        });
        await process.WaitForExitAsync().ConfigureAwait(false);
        try
        {
            // The executor's last lines are in the pipes already; a process a job started may hold them open for
            // as long as it lives, and is no reason to wait.
            await Task.WhenAll(output, errors).WaitAsync(OutputGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            events.Writer.TryWrite(new ExecutorEvent.Log(ExecutorLogLevel.Warning,
                $"A process started by a job still holds the output of executor {process.Id}, which has exited; no longer reading it."));
        }
        lock (gate) current = null;
        return (process.ExitCode, summary, fatal);
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line) onLine(line);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The supervisor stopped reading an exited executor's output (see RunOnceAsync).
        }
    }

    private async Task KillAfterAsync(Process process, TimeSpan timeout)
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            events.Writer.TryWrite(new ExecutorEvent.Log(ExecutorLogLevel.Warning, $"The executor did not stop within {timeout}; killing it."));
            Kill(process);
        }
        catch (InvalidOperationException)
        {
            // The process is gone already.
        }
    }

    /// <summary>Writes a line to the executor's standard input; callers hold the lock, so that lines never mix.</summary>
    private static void Send(Process process, string line)
    {
        try
        {
            process.StandardInput.WriteLine(line);
            process.StandardInput.Flush();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The executor is exiting already.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It exited first.
        }
    }

    private static WorkerSummary Add(WorkerSummary a, WorkerSummary b) =>
        new(a.Complete + b.Complete, a.Failed + b.Failed, a.Retried + b.Retried, a.TimedOut + b.TimedOut, a.Duration + b.Duration);
}
