using Arq.Protocol;
using Arq.Worker;

namespace Arq.Testing;

/// <summary>The worker's store calls, answered by an <see cref="InMemoryBroker"/>.</summary>
internal sealed class InMemoryWorkerStore(InMemoryBroker broker, ArqWorkerOptions options) : IWorkerStore
{
    private readonly long leaseMs = (long)options.LeaseTime.TotalMilliseconds;

    public long Now => broker.Now;

    /// <summary>The test harness's rule: its burst ends once nothing is due, where a worker's (as arq's) waits for
    /// every queued job, deferred ones included; a deferred job in a test waits for the test to move the clock.</summary>
    public bool EndBurstWhenNothingIsDue { get; init; }

    public Task<ClaimResult> ClaimAsync(int free, bool fetchAborts, Func<string, bool> runsHere, IReadOnlyList<FunctionRateLimit>? functionLimits = null)
    {
        var claim = broker.Claim(options.Queues, free, leaseMs, options.AllowAbortJobs, fetchAborts, options.MaxJobBytes);
        return Task.FromResult(EndBurstWhenNothingIsDue ? claim with { QueuedTotal = broker.CountDue(options.Queues) } : claim);
    }

    // The broker refuses continuations at enqueue, so no job it holds has parents.
    public Task<(string? FailedParent, IReadOnlyList<JobResult> Results)> ReadParentsAsync(string jobId, string queue, IReadOnlyList<string> parents) =>
        Task.FromResult<(string?, IReadOnlyList<JobResult>)>((null, []));

    public Task FinishAsync(string jobId, string queue, ResultMessage result, TimeSpan keepResult, bool cron = false, JobStreams? streams = null)
    {
        broker.Finish(jobId, queue, keepResult == TimeSpan.Zero ? null : result.Encode(), keepResult, cron,
            streams is null ? null : StreamsMessage.Encode(streams));
        return Task.CompletedTask;
    }

    public Task SendFinishesAsync() => Task.CompletedTask;

    public void CompleteFinishes()
    {
    }

    public Task RetryAsync(string jobId, string queue, long scoreIncrement)
    {
        broker.Retry(jobId, queue, scoreIncrement);
        return Task.CompletedTask;
    }

    public Task RenewLeasesAsync(IEnumerable<(string JobId, string Queue)> jobs)
    {
        broker.Renew(jobs.Select(job => job.JobId), leaseMs);
        return Task.CompletedTask;
    }

    public Task NameQueuesAsync() => Task.CompletedTask;

    public Task SetTryAsync(string jobId, string queue, long @try)
    {
        broker.SetTry(jobId, @try);
        return Task.CompletedTask;
    }

    public Task WriteHealthCheckAsync(WorkerSummary counts, int ongoing) => Task.CompletedTask;

    public Task DeleteHealthCheckAsync() => Task.CompletedTask;

    public Task WriteWorkerRecordAsync(WorkerInfo record) => Task.CompletedTask;

    public Task DeleteWorkerRecordAsync(string workerId) => Task.CompletedTask;

    public Task WriteCronScheduleAsync(IEnumerable<(CronJob Job, DateTimeOffset? NextRun)> upcoming) => Task.CompletedTask;

    public Task<bool> EnqueueCronRunAsync(CronJob cron, DateTimeOffset runAt, string queue) =>
        Task.FromResult(broker.Enqueue(cron.Name, [], null, new EnqueueOptions { JobId = cron.JobId(runAt), DeferUntil = runAt, Queue = queue }) is not null);

    /// <summary>Progress goes nowhere: the broker has no watchers.</summary>
    public Task<long> PublishProgressAsync(string jobId, JobProgress progress) => Task.FromResult(0L);

    public Task<IAsyncDisposable> SubscribeAsync(IEnumerable<string> queues, Action onEnqueued, Action<string> onWatched)
    {
        var names = queues.ToHashSet(StringComparer.Ordinal);
        Action<string> handler = queue => { if (names.Contains(queue)) onEnqueued(); };
        broker.Enqueued += handler;
        return Task.FromResult<IAsyncDisposable>(new Unsubscribe(() => broker.Enqueued -= handler));
    }

    private sealed class Unsubscribe(Action action) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            action();
            return ValueTask.CompletedTask;
        }
    }
}
