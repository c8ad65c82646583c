using System.Collections.Concurrent;
using System.Diagnostics;
using Arq.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Arq.Worker;

/// <summary>
/// Runs jobs from one or more queues by the protocol of Python arq 0.26 (docs/protocol.md §5–§11), so it shares queues
/// with arq workers and clients. Each poll claims a batch of due jobs in one Redis call, up to
/// <see cref="ArqWorkerOptions.MaxJobs"/> run at once, and each finishes in one call. A short, renewed lease on
/// every running job means a crashed worker's jobs run again elsewhere within
/// <see cref="ArqWorkerOptions.LeaseTime"/>.
/// </summary>
public sealed class ArqWorker
{
    private readonly FunctionRegistry functions;
    private readonly ILogger logger;
    private readonly IWorkerStore store;
    private readonly ConcurrentDictionary<string, JobRun> running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim wake = new(0);
    private volatile bool cancellingRuns; // shutdown gave up waiting: runs that start now stop at once
    private readonly Stopwatch uptime = new();
    private readonly int refillBatch;
    private readonly CronScheduler crons;
    private HookRunner hooks = null!;
    private long complete, failed, retried, timedOut;
    private int enqueued;
    private int started;

    /// <summary>Creates a worker for the registered <paramref name="functions"/>.</summary>
    public ArqWorker(IConnectionMultiplexer redis, FunctionRegistry functions, ArqWorkerOptions? options = null, ILogger? logger = null)
        : this(functions, options, logger, o => new WorkerStore(redis ?? throw new ArgumentNullException(nameof(redis)), o))
    {
    }

    /// <summary>A worker on another store: the test harness's in-memory broker.</summary>
    internal ArqWorker(FunctionRegistry functions, ArqWorkerOptions? options, ILogger? logger, Func<ArqWorkerOptions, IWorkerStore> store)
    {
        this.functions = functions ?? throw new ArgumentNullException(nameof(functions));
        Options = options ?? new ArqWorkerOptions();
        Options.Validate();
        this.logger = logger ?? NullLogger.Instance;
        this.store = store(Options);
        refillBatch = Math.Max(1, Options.MaxJobs / 4);
        // arq enqueues a cron run once it is due within two poll delays (at least a second).
        var lookahead = Options.PollDelay * 2 > TimeSpan.FromSeconds(1) ? Options.PollDelay * 2 : TimeSpan.FromSeconds(1);
        crons = new CronScheduler(functions.CronJobs, lookahead);
    }

    /// <summary>Called with the exception of each try that throws one, besides recording it as arq does: the test
    /// harness's mode in which a job's exception reaches the test.</summary>
    internal Action<Exception>? OnJobException { get; init; }

    /// <summary>The worker's settings.</summary>
    public ArqWorkerOptions Options { get; }

    /// <summary>How many jobs run now.</summary>
    public int RunningJobs => running.Count;

    /// <summary>The counts so far.</summary>
    public WorkerSummary Summary => new(Interlocked.Read(ref complete), Interlocked.Read(ref failed),
        Interlocked.Read(ref retried), Interlocked.Read(ref timedOut), uptime.Elapsed);

    /// <summary>
    /// Starts the actors, then runs jobs until <paramref name="stoppingToken"/> is cancelled (or, in burst mode, the
    /// queues are empty). On stop it claims nothing new, lets running jobs finish within the shutdown delay, then
    /// cancels the rest and hands them back to their queue at once.
    /// </summary>
    /// <exception cref="ArqException">An actor or a start-up hook failed; no job was claimed.</exception>
    public async Task<WorkerSummary> RunAsync(CancellationToken stoppingToken = default)
    {
        if (Interlocked.Exchange(ref started, 1) == 1) throw new InvalidOperationException("A worker runs only once; create another.");
        uptime.Start();
        await functions.StartAsync(stoppingToken).ConfigureAwait(false);
        hooks = new HookRunner(functions.Hooks, logger);
        try
        {
            await hooks.StartupAsync(stoppingToken).ConfigureAwait(false);
        }
        catch
        {
            await functions.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        logger.LogInformation("Starting worker for {Count} functions: {Functions} on {Queues}",
            functions.Names.Count, string.Join(", ", functions.Names), string.Join(", ", Options.Queues));
        var finishing = store.SendFinishesAsync();
        using var sweeping = new CancellationTokenSource();
        var sweeper = SweepTimeoutsAsync(sweeping.Token);
        // Arq clients publish when they enqueue, so an idle worker starts a job at once; a lost message costs
        // no more than the poll delay.
        var subscription = await store.SubscribeAsync(Options.Queues, () =>
        {
            Interlocked.Exchange(ref enqueued, 1);
            wake.Release();
        }).ConfigureAwait(false);
        try
        {
            await PollAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            await TryAsync("unsubscribe", () => subscription.DisposeAsync().AsTask()).ConfigureAwait(false);
            await ShutdownAsync().ConfigureAwait(false);
            store.CompleteFinishes();
            await finishing.ConfigureAwait(false);
            await sweeping.CancelAsync().ConfigureAwait(false);
            await sweeper.ConfigureAwait(false);
        }
        var summary = Summary;
        logger.LogInformation("Worker stopped: {Summary}", summary);
        return summary;
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        var renewEvery = Options.LeaseTime / 3;
        var nextRenew = Stopwatch.GetTimestamp();
        var nextHealthCheck = Stopwatch.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!crons.IsEmpty) await EnqueueCronRunsAsync().ConfigureAwait(false);
            var free = Options.MaxJobs - running.Count;
            ClaimResult claim;
            try
            {
                claim = await store.ClaimAsync(Math.Max(free, 0), fetchAborts: !running.IsEmpty).ConfigureAwait(false);
            }
            catch (Exception e) when (IsRedisFailure(e))
            {
                logger.LogWarning("Cannot reach Redis to claim jobs, trying again in {Delay}: {Error}", Options.PollDelay, e.Message);
                await Task.Delay(Options.PollDelay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                continue;
            }

            foreach (var job in claim.Jobs) Start(job);
            foreach (var id in claim.AbortRequests)
                if (running.TryGetValue(id, out var run)) run.Stop(StopReason.Abort);
            if (Options.Burst && claim.QueuedTotal == 0 && running.IsEmpty) break;

            if (!running.IsEmpty && Until(nextRenew) <= TimeSpan.Zero)
            {
                await TryAsync("renew leases", () => store.RenewLeasesAsync(running.Keys)).ConfigureAwait(false);
                nextRenew = TimestampAfter(renewEvery);
            }
            if (Until(nextHealthCheck) <= TimeSpan.Zero)
            {
                await TryAsync("write the health check", () => store.WriteHealthCheckAsync(Summary, running.Count)).ConfigureAwait(false);
                nextHealthCheck = TimestampAfter(Options.HealthCheckInterval);
            }

            // Claim again once enough slots are free to make a batch worth a round trip (a quarter of MaxJobs, or
            // any slot when nothing runs), a job is enqueued, or the poll delay passes.
            var delay = renewEvery < Options.PollDelay && !running.IsEmpty ? renewEvery : Options.PollDelay;
            var now = Options.Clock.GetUtcNow();
            if (crons.NextWake(now) is { } cronWake && cronWake - now < delay)
                delay = cronWake > now ? cronWake - now : TimeSpan.Zero;
            await WaitAsync(delay, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Enqueues the cron runs due soon under their arq ids; a run another worker enqueued first is a
    /// duplicate and left alone.</summary>
    private async Task EnqueueCronRunsAsync()
    {
        var due = crons.TakeDue(Options.Clock.GetUtcNow());
        if (due.Count == 0) return;
        await TryAsync("enqueue cron jobs", async () =>
        {
            foreach (var (cron, runAt) in due)
            {
                if (await store.EnqueueCronRunAsync(cron, runAt, Options.Queues[0]).ConfigureAwait(false))
                    logger.LogDebug("Enqueued the cron run {JobId}", cron.JobId(runAt));
            }
            await store.WriteCronScheduleAsync(crons.Upcoming).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private void Start(ClaimedJob job)
    {
        var run = new JobRun(job);
        if (cancellingRuns) run.Stop(StopReason.Shutdown);
        // Registered before it starts, so that a job which finishes at once still finds its entry to remove.
        var execution = new Task<Task>(() => ExecuteAsync(run));
        run.Execution = execution.Unwrap();
        while (!running.TryAdd(job.JobId, run))
        {
            if (!running.TryGetValue(job.JobId, out var earlier)) continue;
            if (!earlier.Released)
            {
                // Our own lease lapsed while the job runs here (Redis was paused or out of reach): the claim has
                // renewed it, and the running try goes on. Running it again would run it twice.
                logger.LogDebug("Job {JobId} was claimed again while it runs here; the running try continues", job.JobId);
                return;
            }
            if (earlier.Finished)
            {
                // Claimed before the finished try's outcome reached Redis (its lease lapsed meanwhile): the job is
                // done, and the outcome's transaction clears what this claim set.
                logger.LogDebug("Job {JobId} was claimed again as its finished try was being recorded; nothing to run", job.JobId);
                return;
            }
            // An earlier try of this job here has released it in Redis (a retry) but not yet left this table:
            // start the new one once that has ended.
            earlier.Execution.ContinueWith(_ => Start(job), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return;
        }
        execution.Start(TaskScheduler.Default);
    }

    private async Task ExecuteAsync(JobRun run)
    {
        var claim = run.Claim;
        var startedMs = store.Now;
        try
        {
            if (claim.OversizeBytes > 0)
            {
                await FinishBeforeStartAsync(run, null, JobErrors.JobTooLarge,
                    $"the job is {claim.OversizeBytes} bytes, more than the worker's limit of {Options.MaxJobBytes} (MaxJobBytes)").ConfigureAwait(false);
                return;
            }
            if (claim.Bytes is null)
            {
                await FinishBeforeStartAsync(run, null, JobErrors.JobExpired, "job expired").ConfigureAwait(false);
                return;
            }
            JobMessage job;
            try
            {
                job = JobMessage.Decode(claim.Bytes);
            }
            catch (ArqProtocolException e)
            {
                await FinishBeforeStartAsync(run, null, JobErrors.InvalidJob, e.Message).ConfigureAwait(false);
                return;
            }
            if (claim.AbortedBeforeStart)
            {
                await FinishBeforeStartAsync(run, job, JobError.Cancelled, "job aborted before start").ConfigureAwait(false);
                return;
            }
            if (!functions.TryGet(job.Function, out var function))
            {
                await FinishBeforeStartAsync(run, job, JobErrors.FunctionNotFound, $"function '{job.Function}' not found").ConfigureAwait(false);
                return;
            }
            var tryNumber = claim.Try;
            if (job.Try > tryNumber)
            {
                tryNumber = job.Try.Value;
                await store.SetTryAsync(claim.JobId, tryNumber).ConfigureAwait(false);
            }
            var context = CreateContext(run, job, tryNumber);
            var maxTries = function.Settings.MaxTries ?? Options.MaxTries;
            if (tryNumber > maxTries)
            {
                var error = await FinishBeforeStartAsync(run, job, JobErrors.MaxTriesExceeded, $"max {maxTries} retries exceeded", tryNumber).ConfigureAwait(false);
                if (!hooks.IsEmpty) await hooks.TriesExhaustedAsync(context, error).ConfigureAwait(false);
                return;
            }
            var telemetry = RunTelemetry.Start(claim, job, startedMs);
            JobOutcome? recorded = null;
            var outcome = await InvokeAsync(run, function, context).ConfigureAwait(false);
            JobError? exhausted = null;
            if (outcome is JobOutcome.Finished { Success: false, Retryable: true } failure && function.Settings.Retry is { } policy)
            {
                if (tryNumber < maxTries) outcome = new JobOutcome.Retry(policy.DelayAfter(tryNumber), $"failed ({failure.Error})", failure.Error);
                else exhausted = failure.Error;
            }
            run.Released = true;
            run.Finished = outcome is JobOutcome.Finished;
            try
            {
                await RecordAsync(claim, job, tryNumber, startedMs, outcome, function.Settings.KeepResult ?? Options.KeepResult).ConfigureAwait(false);
                recorded = outcome;
            }
            finally
            {
                telemetry.End(recorded);
            }
            if (hooks.IsEmpty) return;
            // Finishes complete a batch at a time on one thread; a hook gets a thread of its own.
            await Task.Yield();
            await hooks.AfterJobAsync(context, outcome.ToCompletion(TimeSpan.FromMilliseconds(store.Now - startedMs))).ConfigureAwait(false);
            if (exhausted is not null) await hooks.TriesExhaustedAsync(context, exhausted).ConfigureAwait(false);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            logger.LogError("Cannot record the outcome of job {JobId}: {Error}. Its lease will lapse and it will run again.", claim.JobId, e.Message);
        }
        finally
        {
            running.TryRemove(new KeyValuePair<string, JobRun>(claim.JobId, run));
            if (ShouldClaim) wake.Release();
        }
    }

    private JobContext CreateContext(JobRun run, JobMessage job, long tryNumber) => new()
    {
        JobId = run.Claim.JobId,
        Function = job.Function,
        Try = tryNumber,
        EnqueueTime = UnixTime.FromMilliseconds(job.EnqueueTimeMs),
        Queue = run.Claim.Queue,
        Score = UnixTime.FromMilliseconds(run.Claim.ScoreMs),
        Args = job.Args,
        Kwargs = job.Kwargs,
        CancellationToken = run.Token,
    };

    private async Task<JobOutcome> InvokeAsync(JobRun run, JobFunction function, JobContext context)
    {
        var claim = run.Claim;
        var timeout = function.Settings.Timeout ?? Options.JobTimeout;
        if (logger.IsEnabled(LogLevel.Information))
            logger.LogInformation("{Waited,6:0.00}s → {JobId}:{Function}({Args}) try={Try}",
                (store.Now - claim.ScoreMs) / 1000.0, claim.JobId, context.Function, JobText.Arguments(context.Args, context.Kwargs), context.Try);

        run.Deadline = TimestampAfter(timeout);
        try
        {
            // The function runs on the thread pool, so a synchronous one cannot block the poll loop. If it ignores
            // its cancellation token, the job still ends on time; the function is left to finish on its own.
            var invocation = hooks.IsEmpty
                ? Task.Run(() => function.InvokeAsync(context))
                : Task.Run(async () =>
                {
                    await hooks.BeforeJobAsync(context).ConfigureAwait(false);
                    return await function.InvokeAsync(context).ConfigureAwait(false);
                });
            var value = await invocation.WaitAsync(run.Token).ConfigureAwait(false);
            return Succeeded(value);
        }
        catch (OperationCanceledException) when (run.Reason != StopReason.None)
        {
            return run.Reason switch
            {
                StopReason.Timeout => JobOutcome.Failed(JobErrors.Timeout, $"job timed out after {timeout.TotalSeconds:0.###}s", timedOut: true),
                StopReason.Abort => JobOutcome.Failed(JobError.Cancelled, "job aborted"),
                _ => new JobOutcome.Retry(null, "worker shutting down"),
            };
        }
        catch (RetryJobException e)
        {
            return new JobOutcome.Retry(e.Delay, e.Message);
        }
        catch (ArgumentBindingException e)
        {
            return JobOutcome.Failed(JobErrors.ArgumentBinding, e.Message);
        }
        catch (JobErrorException e)
        {
            OnJobException?.Invoke(e);
            return JobOutcome.Failed(e.ErrorType, e.Message, retryable: true);
        }
        catch (Exception e)
        {
            OnJobException?.Invoke(e);
            return JobOutcome.Failed(e.GetType().Name, e.Message, retryable: true);
        }
    }

    private static JobOutcome Succeeded(object? value)
    {
        try
        {
            return new JobOutcome.Finished(true, PackedValue.From(value), null);
        }
        catch (MessagePack.MessagePackSerializationException e)
        {
            return JobOutcome.Failed(JobErrors.Serialization,
                $"the result of type {value!.GetType().FullName} cannot be encoded as MessagePack: {(e.InnerException ?? e).Message}");
        }
    }

    private async Task RecordAsync(ClaimedJob claim, JobMessage job, long tryNumber, long startedMs, JobOutcome outcome, TimeSpan keepResult)
    {
        var seconds = (store.Now - startedMs) / 1000.0;
        switch (outcome)
        {
            case JobOutcome.Finished finished:
                var (args, kwargs) = finished.Success ? (job.Args, job.Kwargs) : Echoed(job);
                var result = new ResultMessage(tryNumber, job.Function, args, kwargs, job.EnqueueTimeMs,
                    finished.Success, finished.Result, startedMs, store.Now, claim.Queue, claim.JobId);
                await store.FinishAsync(claim.JobId, claim.Queue, result, keepResult, functions.IsCron(job.Function)).ConfigureAwait(false);
                if (finished.Success)
                {
                    Interlocked.Increment(ref complete);
                    if (logger.IsEnabled(LogLevel.Information))
                        logger.LogInformation("{Seconds,6:0.00}s ← {JobId}:{Function} ● {Result}", seconds, claim.JobId, job.Function, JobText.Shorten(finished.Result.ToString()));
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    if (finished.TimedOut) Interlocked.Increment(ref timedOut);
                    logger.LogWarning("{Seconds,6:0.00}s ! {JobId}:{Function} failed, {Error}", seconds, claim.JobId, job.Function, finished.Error);
                }
                break;
            case JobOutcome.Retry retry:
                var increment = retry.Delay is { } delay && delay > TimeSpan.Zero
                    ? (long)delay.TotalMilliseconds + store.Now - claim.ScoreMs
                    : 0;
                await store.RetryAsync(claim.JobId, claim.Queue, increment).ConfigureAwait(false);
                Interlocked.Increment(ref retried);
                logger.LogInformation("{Seconds,6:0.00}s ↻ {JobId}:{Function} {Why}, will run again{Delay}",
                    seconds, claim.JobId, job.Function, retry.Why, retry.Delay is null ? "" : $" in {retry.Delay.Value.TotalSeconds:0.##}s");
                break;
        }
    }

    /// <summary>§7: a failure found before the function runs, recorded with the worker's keep-result.</summary>
    /// <returns>The error recorded.</returns>
    private async Task<JobError> FinishBeforeStartAsync(JobRun run, JobMessage? job, string errorType, string message, long? tryNumber = null)
    {
        var claim = run.Claim;
        run.Released = true;
        run.Finished = true;
        var error = new JobError(errorType, message);
        var (args, kwargs) = job is null ? ([], new Dictionary<string, PackedValue>()) : Echoed(job);
        var result = new ResultMessage(tryNumber ?? claim.Try, job?.Function ?? "<unknown>", args, kwargs, job?.EnqueueTimeMs ?? 0,
            false, PackedValue.From(error.ToString()), store.Now, store.Now, claim.Queue, claim.JobId);
        await store.FinishAsync(claim.JobId, claim.Queue, result, Options.KeepResult).ConfigureAwait(false);
        Interlocked.Increment(ref failed);
        RunTelemetry.Failed(claim.Queue, result.Function, errorType);
        logger.LogWarning("  0.00s ! {JobId}:{Function} failed, {Error}", claim.JobId, result.Function, error);
        return error;
    }

    /// <summary>The arguments a failed result repeats: each as the job had it, unless it is not valid data (a string
    /// that is not UTF-8, say), which would make the whole result unreadable to arq and to Get-ArqJob; such an
    /// argument is repeated as a string that says so.</summary>
    private static (IReadOnlyList<PackedValue> Args, IReadOnlyDictionary<string, PackedValue> Kwargs) Echoed(JobMessage job)
    {
        static PackedValue Readable(PackedValue value)
        {
            try
            {
                value.ToObject();
                return value;
            }
            catch (MessagePack.MessagePackSerializationException e)
            {
                return PackedValue.From($"<not valid data: {(e.InnerException ?? e).Message}>");
            }
        }
        return (job.Args.Select(Readable).ToList(), job.Kwargs.ToDictionary(k => k.Key, k => Readable(k.Value)));
    }

    private async Task ShutdownAsync()
    {
        if (!running.IsEmpty)
        {
            logger.LogInformation("Stopping: waiting up to {Delay} for {Count} running jobs", Options.ShutdownDelay, running.Count);
            if (!await DrainAsync(Options.ShutdownDelay).ConfigureAwait(false))
            {
                logger.LogWarning("Cancelling {Count} jobs that are still running; they go back to their queue", running.Count);
                cancellingRuns = true;
                foreach (var run in running.Values) run.Stop(StopReason.Shutdown);
                await DrainAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        await TryAsync("delete the health check", store.DeleteHealthCheckAsync).ConfigureAwait(false);
        await hooks.ShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        await functions.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Times out running jobs: one sweep every 20 ms rather than a timer per job.</summary>
    private async Task SweepTimeoutsAsync(CancellationToken stop)
    {
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (await ticks.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var run in running.Values)
                    if (now >= run.Deadline) run.Stop(StopReason.Timeout);
            }
        }
        catch (OperationCanceledException)
        {
            // The worker stopped.
        }
    }

    /// <summary>Waits until no job runs (a run may start another of the same job as it ends), or the time is up.</summary>
    private async Task<bool> DrainAsync(TimeSpan limit)
    {
        var deadline = TimestampAfter(limit);
        while (!running.IsEmpty)
        {
            var remaining = Until(deadline);
            if (remaining <= TimeSpan.Zero) return false;
            try
            {
                await Task.WhenAll(running.Values.Select(r => r.Execution)).WaitAsync(remaining).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Enough slots are free to make a claim worth a round trip: a quarter of MaxJobs, or any when nothing
    /// runs. A finishing job wakes the poll loop only then, not once per job.</summary>
    private bool ShouldClaim => Options.MaxJobs - running.Count >= refillBatch || running.IsEmpty;

    /// <summary>
    /// Sleeps until the delay passes, a wake-up arrives (a job was enqueued), or enough slots are free again
    /// (<see cref="ShouldClaim"/>), whichever is first.
    /// </summary>
    private async Task WaitAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        var deadline = TimestampAfter(delay);
        try
        {
            while (true)
            {
                var remaining = Until(deadline);
                if (remaining <= TimeSpan.Zero || !await wake.WaitAsync(remaining, stoppingToken).ConfigureAwait(false)) return;
                while (wake.Wait(0)) { } // several signals: one poll serves them all
                if (Interlocked.Exchange(ref enqueued, 0) == 1 || ShouldClaim) return;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stop requested: the loop ends.
        }
    }

    private async Task TryAsync(string what, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            logger.LogWarning("Cannot {What}: {Error}", what, e.Message);
        }
    }

    /// <summary>The <see cref="Stopwatch"/> timestamp <paramref name="span"/> from now.</summary>
    private static long TimestampAfter(TimeSpan span) => Stopwatch.GetTimestamp() + (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>How long until a <see cref="Stopwatch"/> timestamp; negative once it has passed.</summary>
    private static TimeSpan Until(long timestamp) => -Stopwatch.GetElapsedTime(timestamp);

    private static bool IsRedisFailure(Exception e) => e is RedisException or TimeoutException or ObjectDisposedException;
}
