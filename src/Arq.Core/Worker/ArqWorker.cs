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
/// <remarks>The parts, each in a file of its own: the poll loop here; <see cref="RunningJobs"/>, the jobs running now;
/// <see cref="JobRunner"/>, one try from claim to outcome; <see cref="OutcomeRecorder"/>, what is written and counted;
/// <see cref="WorkerDuties"/>, leases, health check and cron; <see cref="WakeSignal"/>, what ends a sleep early;
/// <see cref="ProgressRelay"/>, running jobs' progress to their watchers. All
/// keep time on <see cref="ArqWorkerOptions.Clock"/>.</remarks>
public sealed class ArqWorker
{
    private readonly FunctionRegistry functions;
    private readonly ILogger logger;
    private readonly IWorkerStore store;
    private readonly RunningJobs running;
    private readonly WakeSignal wake;
    private readonly OutcomeRecorder recorder;
    private readonly WorkerDuties duties;
    private readonly ProgressRelay progress;
    private volatile int maxJobs;
    private volatile int refillBatch;
    private long startedAt;
    private DateTimeOffset startedTime;
    private long lastPollTicks;
    private int started;

    /// <summary>Creates a worker for the registered <paramref name="functions"/>.</summary>
    public ArqWorker(IConnectionMultiplexer redis, FunctionRegistry functions, ArqWorkerOptions? options = null, ILogger? logger = null)
        : this(functions, options, logger, o => new WorkerStore(Protocol.KeyLayoutCheck.Ensure(redis, o.KeyLayout), o))
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
        running = new RunningJobs(Options.Clock, this.logger);
        wake = new WakeSignal(Options.Clock);
        recorder = new OutcomeRecorder(this.store, Options, this.logger);
        SetLimit(Options.MaxJobs);
        // arq enqueues a cron run once it is due within two poll delays (at least a second).
        var lookahead = Options.PollDelay * 2 > TimeSpan.FromSeconds(1) ? Options.PollDelay * 2 : TimeSpan.FromSeconds(1);
        duties = new WorkerDuties(this.store, Options, new CronScheduler(functions.CronJobs, lookahead), this.logger);
        progress = new ProgressRelay(this.store, Options.Clock, this.logger);
    }

    /// <summary>The test harness's mode in which a job's exception reaches the test (see <see cref="JobRunner.OnJobException"/>).</summary>
    internal Action<Exception>? OnJobException { get; init; }

    /// <summary>The worker's settings.</summary>
    public ArqWorkerOptions Options { get; }

    /// <summary>The worker's own id in its record (<see cref="WorkerInfo"/>): this machine, this process, and a random part.</summary>
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    private static readonly string? Version = typeof(ArqWorker).Assembly.GetName().Version?.ToString(3);

    /// <summary>The worker's record of itself, as it writes it.</summary>
    private WorkerInfo Describe()
    {
        var summary = Summary;
        return new WorkerInfo(Id, Environment.MachineName, Environment.ProcessId, Options.Queues, startedTime, Options.Clock.GetUtcNow())
        {
            Running = running.Count, MaxJobs = maxJobs, Complete = summary.Complete, Failed = summary.Failed, Retried = summary.Retried, Version = Version,
        };
    }

    /// <summary>How many jobs run now.</summary>
    public int RunningJobs => running.Count;

    /// <summary>
    /// Runs at most <paramref name="limit"/> jobs at once from now on (at most <see cref="ArqWorkerOptions.MaxJobs"/>):
    /// one while the supervisor sorts out which job crashed the executor before, so that a crash names its job.
    /// Jobs running beyond a lowered limit finish; a raised one takes effect at once.
    /// </summary>
    internal void LimitJobs(int limit)
    {
        SetLimit(limit);
        wake.JobEnded();
    }

    private void SetLimit(int limit)
    {
        maxJobs = Math.Clamp(limit, 1, Options.MaxJobs);
        refillBatch = Math.Max(1, maxJobs / 4);
    }

    /// <summary>When the worker last read its queues from Redis, whether it found jobs or not; null before the first
    /// read. It moves at least every <see cref="ArqWorkerOptions.PollDelay"/> while the worker runs and Redis answers,
    /// so a health check compares it with that.</summary>
    public DateTimeOffset? LastPoll => Volatile.Read(ref lastPollTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>The counts so far.</summary>
    public WorkerSummary Summary => recorder.Summary(startedAt == 0 ? TimeSpan.Zero : Options.Clock.GetElapsedTime(startedAt));

    /// <summary>
    /// Starts the actors, then runs jobs until <paramref name="stoppingToken"/> is cancelled (or, in burst mode, the
    /// queues are empty). On stop it claims nothing new, lets running jobs finish within the shutdown delay, then
    /// cancels the rest and hands them back to their queue at once.
    /// </summary>
    /// <exception cref="ArqException">An actor or a start-up hook failed; no job was claimed.</exception>
    public async Task<WorkerSummary> RunAsync(CancellationToken stoppingToken = default)
    {
        if (Interlocked.Exchange(ref started, 1) == 1) throw new InvalidOperationException("A worker runs only once; create another.");
        startedAt = Options.Clock.GetTimestamp();
        startedTime = Options.Clock.GetUtcNow();
        await functions.StartAsync(stoppingToken).ConfigureAwait(false);
        var hooks = new HookRunner(functions.Hooks, logger);
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
        var runner = new JobRunner(functions, hooks, store, recorder, progress, Options, logger) { OnJobException = OnJobException };
        var finishing = store.SendFinishesAsync();
        using var sweeping = new CancellationTokenSource();
        var sweeper = running.SweepTimeoutsAsync(sweeping.Token);
        var relaying = progress.RunAsync(sweeping.Token);
        var subscription = await store.SubscribeAsync(Options.Queues, wake.Enqueued, progress.Watched).ConfigureAwait(false);
        try
        {
            await logger.TryAsync("name the queues", store.NameQueuesAsync).ConfigureAwait(false);
            await PollAsync(runner, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            await logger.TryAsync("unsubscribe", () => subscription.DisposeAsync().AsTask()).ConfigureAwait(false);
            await ShutdownAsync(hooks).ConfigureAwait(false);
            store.CompleteFinishes();
            await finishing.ConfigureAwait(false);
            await sweeping.CancelAsync().ConfigureAwait(false);
            await sweeper.ConfigureAwait(false);
            await relaying.ConfigureAwait(false);
        }
        var summary = Summary;
        logger.LogInformation("Worker stopped: {Summary}", summary);
        return summary;
    }

    private async Task PollAsync(JobRunner runner, CancellationToken stoppingToken)
    {
        Func<JobRun, Task> execute = run => RunAsync(runner, run);
        Func<WorkerSummary> summarize = () => Summary;
        Func<WorkerInfo> describe = Describe;
        var functionLimits = functions.RateLimits;
        while (!stoppingToken.IsCancellationRequested)
        {
            await duties.EnqueueCronRunsAsync().ConfigureAwait(false);
            ClaimResult claim;
            try
            {
                claim = await store.ClaimAsync(Math.Max(maxJobs - running.Count, 0), fetchAborts: !running.IsEmpty, running.Contains, functionLimits).ConfigureAwait(false);
                Volatile.Write(ref lastPollTicks, Options.Clock.GetUtcNow().UtcTicks);
            }
            catch (Exception e) when (RedisFailures.IsTransient(e))
            {
                logger.LogWarning("Cannot reach Redis to claim jobs, trying again in {Delay}: {Error}", Options.PollDelay, e.Message);
                await Task.Delay(Options.PollDelay, Options.Clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                continue;
            }

            foreach (var job in claim.Jobs) running.Start(job, execute);
            running.Abort(claim.AbortRequests);
            if (Options.Burst && claim.QueuedTotal == 0 && running.IsEmpty) break;

            await duties.RunDueAsync(running, summarize, describe).ConfigureAwait(false);
            // A rate limit that held jobs back has room again after its wait: claim then, not a poll delay later.
            var sleep = duties.SleepTime(!running.IsEmpty);
            if (claim.RateLimitWait > TimeSpan.Zero && claim.RateLimitWait < sleep) sleep = claim.RateLimitWait;
            await wake.WaitAsync(sleep, () => ShouldClaim, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(JobRunner runner, JobRun run)
    {
        try
        {
            await runner.RunAsync(run).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisFailures.IsTransient(e))
        {
            logger.LogError("Cannot record the outcome of job {JobId}: {Error}. Its lease will lapse and it will run again.", run.Claim.JobId, e.Message);
        }
        finally
        {
            running.Remove(run);
            if (ShouldClaim) wake.JobEnded();
        }
    }

    /// <summary>Enough slots are free to make a claim worth a round trip: a quarter of the limit, or any when nothing
    /// runs. A finishing job wakes the poll loop only then, not once per job.</summary>
    private bool ShouldClaim => maxJobs - running.Count >= refillBatch || running.IsEmpty;

    private async Task ShutdownAsync(HookRunner hooks)
    {
        if (!running.IsEmpty)
        {
            logger.LogInformation("Stopping: waiting up to {Delay} for {Count} running jobs", Options.ShutdownDelay, running.Count);
            if (!await running.DrainAsync(Options.ShutdownDelay).ConfigureAwait(false))
            {
                logger.LogWarning("Cancelling {Count} jobs that are still running; they go back to their queue", running.Count);
                running.StopAll();
                await running.DrainAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        await logger.TryAsync("delete the health check", store.DeleteHealthCheckAsync).ConfigureAwait(false);
        await logger.TryAsync("delete the worker's record", () => store.DeleteWorkerRecordAsync(Id)).ConfigureAwait(false);
        await hooks.ShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        await functions.DisposeAsync().ConfigureAwait(false);
    }
}
