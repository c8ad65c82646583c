namespace Arq.Worker;

/// <summary>
/// One worker's timetable of its cron jobs: when each runs next, which runs are close enough to enqueue (arq
/// enqueues a run when it is due within two poll delays), and when the worker should look again.
/// </summary>
internal sealed class CronScheduler(IReadOnlyList<CronJob> jobs, TimeSpan lookahead)
{
    private readonly DateTimeOffset?[] next = new DateTimeOffset?[jobs.Count];
    private DateTimeOffset? enqueuedRun;
    private bool started;

    public bool IsEmpty => jobs.Count == 0;

    /// <summary>The runs to enqueue now: those due before <paramref name="now"/> plus the lookahead. Runs missed by
    /// more than the lookahead (the worker was paused) are skipped, not caught up.</summary>
    public List<(CronJob Job, DateTimeOffset RunAt)> TakeDue(DateTimeOffset now)
    {
        var due = new List<(CronJob, DateTimeOffset)>();
        for (var i = 0; i < jobs.Count; i++)
        {
            if (!started) next[i] = jobs[i].RunAtStartup ? now : jobs[i].NextRun(now);
            else if (next[i] is { } missed && missed < now - lookahead) next[i] = jobs[i].NextRun(now - lookahead);
            while (next[i] is { } at && at < now + lookahead)
            {
                due.Add((jobs[i], at));
                if (at > now && (enqueuedRun is null || at < enqueuedRun)) enqueuedRun = at;
                next[i] = jobs[i].NextRun(at);
            }
        }
        started = true;
        return due;
    }

    /// <summary>When the worker should poll again: when an enqueued run falls due (so it starts on time), or
    /// when the next run must be enqueued.</summary>
    public DateTimeOffset? NextWake(DateTimeOffset now)
    {
        if (enqueuedRun <= now) enqueuedRun = null;
        var nextEnqueue = next.Min() - lookahead;
        return enqueuedRun is null ? nextEnqueue : nextEnqueue is null ? enqueuedRun : Min(enqueuedRun.Value, nextEnqueue.Value);
    }

    /// <summary>Each job with its next run, for <c>Get-ArqCron</c>.</summary>
    public IEnumerable<(CronJob Job, DateTimeOffset? NextRun)> Upcoming => jobs.Select((job, i) => (job, next[i]));

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
