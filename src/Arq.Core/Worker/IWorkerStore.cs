namespace Arq.Worker;

/// <summary>
/// Where a worker claims jobs and records what became of them: Redis (<see cref="WorkerStore"/>), or the in-memory
/// broker of <see cref="Testing.ArqTestHarness"/>, so that tests without Redis run the worker's own logic.
/// </summary>
internal interface IWorkerStore
{
    /// <summary>The store's clock, in Unix milliseconds.</summary>
    long Now { get; }

    /// <summary>Claims up to <paramref name="free"/> due jobs, leaving out those that <paramref name="runsHere"/>; with
    /// <paramref name="fetchAborts"/>, also the ids whose abort was requested. A job of a function in
    /// <paramref name="functionLimits"/> (or any job, under <see cref="ArqWorkerOptions.RateLimit"/>) starts only
    /// within its limit.</summary>
    Task<ClaimResult> ClaimAsync(int free, bool fetchAborts, Func<string, bool> runsHere, IReadOnlyList<FunctionRateLimit>? functionLimits = null);

    /// <summary>What a continuation needs of its <paramref name="parents"/>: the first that failed (null when none did),
    /// and the results still kept, in the parents' order.</summary>
    Task<(string? FailedParent, IReadOnlyList<JobResult> Results)> ReadParentsAsync(string jobId, string queue, IReadOnlyList<string> parents);

    /// <summary>Records a finished job; completes once it is stored.</summary>
    Task FinishAsync(string jobId, string queue, Protocol.ResultMessage result, TimeSpan keepResult, bool cron = false, JobStreams? streams = null);

    /// <summary>Sends queued finishes until <see cref="CompleteFinishes"/>.</summary>
    Task SendFinishesAsync();

    void CompleteFinishes();

    /// <summary>Leaves the job queued for another try, its score raised by <paramref name="scoreIncrement"/> ms.</summary>
    Task RetryAsync(string jobId, string queue, long scoreIncrement);

    Task RenewLeasesAsync(IEnumerable<(string JobId, string Queue)> jobs);

    Task SetTryAsync(string jobId, string queue, long @try);

    Task WriteHealthCheckAsync(WorkerSummary counts, int ongoing);

    Task DeleteHealthCheckAsync();

    /// <summary>Names the worker's queues where views find them (<see cref="Protocol.ArqKeys.Queues"/>).</summary>
    Task NameQueuesAsync();

    /// <summary>Writes the worker's record of itself, to lapse after three record intervals.</summary>
    Task WriteWorkerRecordAsync(WorkerInfo record);

    /// <summary>Deletes the worker's record, as it stops.</summary>
    Task DeleteWorkerRecordAsync(string workerId);

    Task WriteCronScheduleAsync(IEnumerable<(CronJob Job, DateTimeOffset? NextRun)> upcoming);

    /// <summary>Enqueues a cron run under its arq id; false when another worker enqueued it first.</summary>
    Task<bool> EnqueueCronRunAsync(CronJob cron, DateTimeOffset runAt, string queue);

    /// <summary>Calls <paramref name="onEnqueued"/> when a job is enqueued on one of the queues, and
    /// <paramref name="onWatched"/> with a job's id when someone wants its progress; returns what stops it.</summary>
    Task<IAsyncDisposable> SubscribeAsync(IEnumerable<string> queues, Action onEnqueued, Action<string> onWatched);

    /// <summary>Publishes a running job's progress; returns how many watchers received it.</summary>
    Task<long> PublishProgressAsync(string jobId, JobProgress progress);
}
