using Arq.Worker;

namespace Arq.Hosting;

/// <summary>
/// The settings of the worker that <c>AddArqWorker</c> runs as a hosted service: the <c>"Arq:Worker"</c> section of
/// the configuration, then what <c>AddArqWorker</c>'s delegate sets. They mean what <see cref="ArqWorkerOptions"/>'s
/// do, with its defaults, and are checked when the host starts.
/// </summary>
public sealed class ArqWorkerServiceOptions
{
    /// <summary>The configuration section read: <c>Arq:Worker</c>.</summary>
    public const string SectionName = "Arq:Worker";

    private static readonly ArqWorkerOptions Defaults = new();

    /// <summary>The queues to take jobs from, highest priority first; empty takes <see cref="ArqOptions.DefaultQueue"/>.</summary>
    public IList<string> Queues { get; set; } = [];

    /// <inheritdoc cref="ArqWorkerOptions.MaxJobs"/>
    public int MaxJobs { get; set; } = Defaults.MaxJobs;

    /// <inheritdoc cref="ArqWorkerOptions.JobTimeout"/>
    public TimeSpan JobTimeout { get; set; } = Defaults.JobTimeout;

    /// <inheritdoc cref="ArqWorkerOptions.MaxTries"/>
    public int MaxTries { get; set; } = Defaults.MaxTries;

    /// <inheritdoc cref="ArqWorkerOptions.KeepResult"/>
    public TimeSpan KeepResult { get; set; } = Defaults.KeepResult;

    /// <inheritdoc cref="ArqWorkerOptions.PollDelay"/>
    public TimeSpan PollDelay { get; set; } = Defaults.PollDelay;

    /// <inheritdoc cref="ArqWorkerOptions.LeaseTime"/>
    public TimeSpan LeaseTime { get; set; } = Defaults.LeaseTime;

    /// <inheritdoc cref="ArqWorkerOptions.HealthCheckInterval"/>
    public TimeSpan HealthCheckInterval { get; set; } = Defaults.HealthCheckInterval;

    /// <inheritdoc cref="ArqWorkerOptions.AllowAbortJobs"/>
    public bool AllowAbortJobs { get; set; } = Defaults.AllowAbortJobs;

    /// <inheritdoc cref="ArqWorkerOptions.MaxJobBytes"/>
    public long MaxJobBytes { get; set; } = Defaults.MaxJobBytes;

    /// <inheritdoc cref="ArqWorkerOptions.MaxStreamBytes"/>
    public int MaxStreamBytes { get; set; } = Defaults.MaxStreamBytes;

    /// <summary>On stop, how long running jobs may take to finish before they are cancelled and handed back to their
    /// queue; held within the host's <c>HostOptions.ShutdownTimeout</c>, so that the hand-back always happens.</summary>
    public TimeSpan ShutdownDelay { get; set; } = Defaults.ShutdownDelay;

    /// <inheritdoc cref="ArqWorkerOptions.KeepFailed"/>
    public int KeepFailed { get; set; } = Defaults.KeepFailed;

    /// <inheritdoc cref="ArqWorkerOptions.KeepFailedFor"/>
    public TimeSpan KeepFailedFor { get; set; } = Defaults.KeepFailedFor;

    /// <summary>At most this many jobs start per period on each queue, all the queue's workers together, written as
    /// <see cref="Worker.RateLimit.Parse"/> reads it: <c>"10/s"</c>, <c>"100/min"</c>; null for none (see
    /// <see cref="ArqWorkerOptions.RateLimit"/>).</summary>
    public string? RateLimit { get; set; }

    /// <summary>Run until the queues are empty and nothing runs, then stop the host: for a job run by a scheduler or
    /// a container that exits when done.</summary>
    public bool Burst { get; set; }

    internal ArqWorkerOptions ToWorkerOptions(ArqOptions arq, TimeProvider clock, IServiceProvider? services) => new()
    {
        Queues = Queues.Count == 0 ? [arq.DefaultQueue] : Queues.ToList(),
        KeyLayout = arq.KeyLayout,
        MaxJobs = MaxJobs, JobTimeout = JobTimeout, MaxTries = MaxTries, KeepResult = KeepResult, PollDelay = PollDelay,
        LeaseTime = LeaseTime, HealthCheckInterval = HealthCheckInterval, AllowAbortJobs = AllowAbortJobs,
        MaxJobBytes = MaxJobBytes, MaxStreamBytes = MaxStreamBytes, ShutdownDelay = ShutdownDelay, Burst = Burst,
        RateLimit = RateLimit is null ? null : Worker.RateLimit.Parse(RateLimit),
        KeepFailed = KeepFailed, KeepFailedFor = KeepFailedFor,
        Clock = clock, Services = services,
    };
}
