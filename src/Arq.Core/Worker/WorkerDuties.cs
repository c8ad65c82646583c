using Microsoft.Extensions.Logging;

namespace Arq.Worker;

/// <summary>
/// What a worker does on a schedule besides running jobs, between claims: renew the leases of its running jobs (at a
/// third of <see cref="ArqWorkerOptions.LeaseTime"/>), write its health check and its record of itself, and enqueue
/// the cron runs due soon.
/// A duty that cannot reach Redis is logged and tried again on the next round.
/// </summary>
internal sealed class WorkerDuties(IWorkerStore store, ArqWorkerOptions options, CronScheduler crons, ILogger logger)
{
    private readonly TimeSpan renewEvery = options.LeaseTime / 3;
    private long nextRenew = options.Clock.GetTimestamp();
    private long nextHealthCheck = options.Clock.GetTimestamp();
    private long nextRecord = options.Clock.GetTimestamp();

    private TimeProvider Clock => options.Clock;

    /// <summary>Enqueues the cron runs due soon under their arq ids; a run another worker enqueued first is a
    /// duplicate and left alone.</summary>
    public async Task EnqueueCronRunsAsync()
    {
        if (crons.IsEmpty) return;
        var due = crons.TakeDue(Clock.GetUtcNow());
        if (due.Count == 0) return;
        await logger.TryAsync("enqueue cron jobs", async () =>
        {
            foreach (var (cron, runAt) in due)
            {
                if (await store.EnqueueCronRunAsync(cron, runAt, options.Queues[0]).ConfigureAwait(false))
                    logger.LogDebug("Enqueued the cron run {JobId}", cron.JobId(runAt));
            }
            await store.WriteCronScheduleAsync(crons.Upcoming).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>Renews the running jobs' leases, writes the health check and the worker's record, each when it is due.</summary>
    public async Task RunDueAsync(RunningJobs running, Func<WorkerSummary> summary, Func<WorkerInfo> record)
    {
        if (!running.IsEmpty && Clock.Until(nextRenew) <= TimeSpan.Zero)
        {
            await logger.TryAsync("renew leases", () => store.RenewLeasesAsync(running.Leases)).ConfigureAwait(false);
            nextRenew = Clock.TimestampAfter(renewEvery);
        }
        if (Clock.Until(nextHealthCheck) <= TimeSpan.Zero)
        {
            await logger.TryAsync("write the health check", () => store.WriteHealthCheckAsync(summary(), running.Count)).ConfigureAwait(false);
            nextHealthCheck = Clock.TimestampAfter(options.HealthCheckInterval);
        }
        if (Clock.Until(nextRecord) <= TimeSpan.Zero)
        {
            await logger.TryAsync("write the worker's record", () => store.WriteWorkerRecordAsync(record())).ConfigureAwait(false);
            nextRecord = Clock.TimestampAfter(WorkerInfo.RecordInterval);
        }
    }

    /// <summary>How long the poll loop may sleep: the poll delay, or less when leases are to be renewed or a cron run
    /// falls due sooner.</summary>
    public TimeSpan SleepTime(bool jobsRunning)
    {
        var delay = jobsRunning && renewEvery < options.PollDelay ? renewEvery : options.PollDelay;
        var now = Clock.GetUtcNow();
        if (crons.NextWake(now) is { } cronWake && cronWake - now < delay)
            delay = cronWake > now ? cronWake - now : TimeSpan.Zero;
        return delay;
    }
}
