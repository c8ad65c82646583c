using Arq.Protocol;

namespace Arq.Worker;

/// <summary>Settings of an <see cref="ArqWorker"/>. The defaults are arq's, except where a setting is Arq's own.</summary>
public sealed record ArqWorkerOptions
{
    /// <summary>The queues to take jobs from, highest priority first: a due job on an earlier queue is taken before
    /// one on a later queue.</summary>
    public IReadOnlyList<string> Queues { get; init; } = [ArqKeys.DefaultQueue];

    /// <summary>How many jobs run at once.</summary>
    public int MaxJobs { get; init; } = 10;

    /// <summary>How long a try may run before it fails with a timeout; a function can set its own.</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>How many tries a job gets; a function can set its own.</summary>
    public int MaxTries { get; init; } = 5;

    /// <summary>How long results are kept: zero for not at all, <see cref="Timeout.InfiniteTimeSpan"/> for ever.</summary>
    public TimeSpan KeepResult { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often Redis is read for due jobs when the worker has nothing to do.</summary>
    public TimeSpan PollDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Arq's own: how long a claim holds without renewal. The worker renews the in-progress key of every running job
    /// at a third of this, so when a worker dies its jobs run again elsewhere within this time, not after the job
    /// timeout as with arq.
    /// </summary>
    public TimeSpan LeaseTime { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the health-check key is written.</summary>
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Act on abort requests (arq's <c>allow_abort_jobs</c>, off there by default).</summary>
    public bool AllowAbortJobs { get; init; } = true;

    /// <summary>Arq's own: the largest job, in bytes, the worker takes; a larger one fails with
    /// <see cref="JobErrorTypes.JobTooLarge"/> without being read. 16 MiB by default; 0 for no limit.</summary>
    public long MaxJobBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>How much of what a job writes to its streams (warnings, verbose, information ...) is kept with its
    /// result, in bytes of text: records past it are counted, not kept, so that a job writing without end neither
    /// fills Redis nor slows the worker. 0 keeps none.</summary>
    public int MaxStreamBytes { get; init; } = 64 * 1024;

    /// <summary>Arq's own: what the worker writes into the in-progress key of each job it runs (arq writes 1), so that
    /// whoever supervises it can tell which jobs it held if it dies; 1 when null.</summary>
    public string? WorkerId { get; init; }

    /// <summary>Arq's own: how many jobs that failed for good each queue keeps as dead letters (their results, with
    /// their arguments), beyond the results' own lifetime, to list and submit again
    /// (<see cref="JobQueue.GetPageAsync"/> with <see cref="JobListing.Failed"/>, <see cref="JobQueue.RetryFailedJobAsync"/>);
    /// 0 keeps none. The oldest go first.</summary>
    public int KeepFailed { get; init; } = 1000;

    /// <summary>Arq's own: how long a dead letter is kept (see <see cref="KeepFailed"/>); 7 days by default.</summary>
    public TimeSpan KeepFailedFor { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Arq's own: at most this many jobs start per period on each of the worker's queues, counted in Redis by
    /// every worker of the queue together (give them all the same limit); null for none. Jobs over it wait in the
    /// queue without spending a try. A function can have a limit of its own too
    /// (<see cref="JobFunctionSettings.RateLimit"/>).</summary>
    public RateLimit? RateLimit { get; init; }

    /// <summary>Stop once the queues are empty and nothing runs.</summary>
    public bool Burst { get; init; }

    /// <summary>How keys are named: arq 0.26's (the default, shared with Python arq), or hash-tagged per queue for
    /// Redis Cluster. Every client and worker of a queue must use the same.</summary>
    public KeyLayout KeyLayout { get; init; } = KeyLayout.Arq;

    /// <summary>On stop, how long running jobs may take to finish before they are cancelled and handed back.</summary>
    public TimeSpan ShutdownDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock for scores and times (not sent to an executor process, which uses its own).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TimeProvider Clock { get => clock ?? TimeProvider.System; init => clock = value; }

    // Null only when set so by code that ignores nullability (System.Text.Json's generated reader sets every
    // init-only property, ignored ones too): the system clock then.
    private readonly TimeProvider? clock;

    /// <summary>Where each job gets a scope of its own services (<see cref="JobContext.Services"/>); <c>AddArqWorker</c>
    /// sets it to the host's. Null: no scopes.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IServiceProvider? Services { get; init; }

    /// <summary>Whether <paramref name="keep"/> means something as a result's lifetime: zero, positive, or for ever.
    /// Any other negative value would expire the result at once.</summary>
    internal static bool IsKeepResult(TimeSpan keep) => keep >= TimeSpan.Zero || keep == Timeout.InfiniteTimeSpan;

    internal void Validate()
    {
        if (Queues.Count == 0 || Queues.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException("Name at least one queue, none empty.", nameof(Queues));
        if (MaxJobs < 1) throw new ArgumentException($"MaxJobs must be at least 1, but is {MaxJobs}.", nameof(MaxJobs));
        if (MaxTries < 1) throw new ArgumentException($"MaxTries must be at least 1, but is {MaxTries}.", nameof(MaxTries));
        if (!IsKeepResult(KeepResult))
            throw new ArgumentException($"KeepResult must be zero (keep none), positive, or Timeout.InfiniteTimeSpan (keep for ever), but is {KeepResult}.", nameof(KeepResult));
        if (ShutdownDelay < TimeSpan.Zero) throw new ArgumentException($"ShutdownDelay must not be negative, but is {ShutdownDelay}.", nameof(ShutdownDelay));
        if (JobTimeout <= TimeSpan.Zero) throw new ArgumentException($"JobTimeout must be positive, but is {JobTimeout}.", nameof(JobTimeout));
        if (LeaseTime < TimeSpan.FromMilliseconds(300)) throw new ArgumentException($"LeaseTime must be at least 300 ms, but is {LeaseTime}.", nameof(LeaseTime));
        if (MaxStreamBytes < 0) throw new ArgumentException($"MaxStreamBytes must be 0 (keep none) or positive, but is {MaxStreamBytes}.", nameof(MaxStreamBytes));
        if (MaxJobBytes < 0) throw new ArgumentException($"MaxJobBytes must be 0 (no limit) or positive, but is {MaxJobBytes}.", nameof(MaxJobBytes));
        if (PollDelay <= TimeSpan.Zero) throw new ArgumentException($"PollDelay must be positive, but is {PollDelay}.", nameof(PollDelay));
        if (KeepFailed < 0) throw new ArgumentException($"KeepFailed must be 0 (keep none) or positive, but is {KeepFailed}.", nameof(KeepFailed));
        if (KeepFailedFor <= TimeSpan.Zero) throw new ArgumentException($"KeepFailedFor must be positive, but is {KeepFailedFor}.", nameof(KeepFailedFor));
    }
}
