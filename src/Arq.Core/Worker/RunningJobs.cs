using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Arq.Worker;

/// <summary>
/// The jobs this worker runs now, by id: what a claim starts, an abort request or a timeout stops, and shutdown waits
/// for. It decides what a second claim of a job that is still here means (see <see cref="Start"/>).
/// </summary>
internal sealed class RunningJobs(TimeProvider clock, ILogger logger)
{
    private readonly ConcurrentDictionary<string, JobRun> runs = new(StringComparer.Ordinal);
    private volatile bool stopping; // shutdown gave up waiting: runs that start now stop at once

    public int Count => runs.Count;

    public bool IsEmpty => runs.IsEmpty;

    /// <summary>The running jobs whose leases the worker renews: those not released in Redis yet.</summary>
    public IEnumerable<(string JobId, string Queue)> Leases => runs.Values.Where(run => !run.Released).Select(run => (run.Claim.JobId, run.Claim.Queue));

    /// <summary>Whether <paramref name="jobId"/> runs here (a claim leaves it out).</summary>
    public bool Contains(string jobId) => runs.ContainsKey(jobId);

    /// <summary>Starts <paramref name="execute"/> on a run of <paramref name="job"/> on the thread pool, unless the job
    /// runs here already.</summary>
    public void Start(ClaimedJob job, Func<JobRun, Task> execute)
    {
        var run = new JobRun(job);
        if (stopping) run.Stop(StopReason.Shutdown);
        // Registered before it starts, so that a job which finishes at once still finds its entry to remove.
        var execution = new Task<Task>(() => execute(run));
        run.Execution = execution.Unwrap();
        while (!runs.TryAdd(job.JobId, run))
        {
            if (!runs.TryGetValue(job.JobId, out var earlier)) continue;
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
            earlier.Execution.ContinueWith(_ => Start(job, execute), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return;
        }
        execution.Start(TaskScheduler.Default);
    }

    /// <summary>Takes an ended run out of the table.</summary>
    public void Remove(JobRun run) => runs.TryRemove(new KeyValuePair<string, JobRun>(run.Claim.JobId, run));

    /// <summary>Stops the runs of the jobs whose abort was requested.</summary>
    public void Abort(IEnumerable<string> jobIds)
    {
        foreach (var id in jobIds)
            if (runs.TryGetValue(id, out var run)) run.Stop(StopReason.Abort);
    }

    /// <summary>Stops every run, and every run that starts from now on, for shutdown.</summary>
    public void StopAll()
    {
        stopping = true;
        foreach (var run in runs.Values) run.Stop(StopReason.Shutdown);
    }

    /// <summary>Times out runs past their deadline: one sweep every 20 ms rather than a timer per job.</summary>
    public async Task SweepTimeoutsAsync(CancellationToken stop)
    {
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(20), clock);
        try
        {
            while (await ticks.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var now = clock.GetTimestamp();
                foreach (var run in runs.Values)
                    if (now >= run.Deadline) run.Stop(StopReason.Timeout);
            }
        }
        catch (OperationCanceledException)
        {
            // The worker stopped.
        }
    }

    /// <summary>Waits until no job runs (a run may start another of the same job as it ends), or the time is up.</summary>
    public async Task<bool> DrainAsync(TimeSpan limit)
    {
        var deadline = clock.TimestampAfter(limit);
        while (!runs.IsEmpty)
        {
            var remaining = clock.Until(deadline);
            if (remaining <= TimeSpan.Zero) return false;
            try
            {
                await Task.WhenAll(runs.Values.Select(r => r.Execution)).WaitAsync(remaining, clock).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
        return true;
    }
}
