using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Arq.Worker;

/// <summary>
/// Sends the progress running jobs report to whoever watches them, and to no one else: a watcher names the job on
/// <see cref="Protocol.ArqKeys.ProgressWatchChannel"/> (again every two seconds while it watches), and only then does
/// the worker publish that job's latest progress, at most ten times a second. A publish nobody receives ends the
/// watch. Progress of jobs nobody watches costs a dictionary entry, no Redis call.
/// </summary>
internal sealed class ProgressRelay(IWorkerStore store, TimeProvider clock, ILogger logger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a watcher's naming of a job holds without being repeated.</summary>
    private static readonly TimeSpan WatchHolds = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, JobBars> jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> watched = new(StringComparer.Ordinal);

    /// <summary>A running job reported progress: kept as the latest of its activity, sent if someone watches.</summary>
    public void Report(string jobId, JobProgress progress)
    {
        var bars = jobs.GetOrAdd(jobId, _ => new JobBars());
        lock (bars)
        {
            bars.Latest[progress.ActivityId] = progress;
            bars.Changed = true;
        }
    }

    /// <summary>A watcher named the job: its latest progress goes out with the next round.</summary>
    public void Watched(string jobId)
    {
        watched[jobId] = clock.GetTimestamp();
        if (jobs.TryGetValue(jobId, out var bars)) lock (bars) bars.Changed = true;
    }

    /// <summary>The job's try ended: its progress is forgotten (watchers see the job finish on their own).</summary>
    public void Ended(string jobId) => jobs.TryRemove(jobId, out _);

    /// <summary>Sends changed progress of watched jobs every <see cref="Interval"/> until stopped.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var ticks = new PeriodicTimer(Interval, clock);
        try
        {
            while (await ticks.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                foreach (var (jobId, since) in watched)
                    if (clock.GetElapsedTime(since) > WatchHolds) watched.TryRemove(jobId, out _);
                foreach (var (jobId, bars) in jobs)
                    if (watched.ContainsKey(jobId)) await SendAsync(jobId, bars).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The worker stopped.
        }
    }

    private async Task SendAsync(string jobId, JobBars bars)
    {
        List<JobProgress> changed;
        lock (bars)
        {
            if (!bars.Changed) return;
            bars.Changed = false;
            changed = [.. bars.Latest.Values];
            foreach (var done in changed.Where(p => p.Completed)) bars.Latest.Remove(done.ActivityId);
        }
        try
        {
            foreach (var progress in changed)
            {
                if (await store.PublishProgressAsync(jobId, progress).ConfigureAwait(false) == 0)
                {
                    watched.TryRemove(jobId, out _); // its watchers have gone
                    return;
                }
            }
        }
        catch (Exception e) when (RedisFailures.IsTransient(e))
        {
            logger.LogDebug("Cannot send the progress of job {JobId}: {Error}", jobId, e.Message);
        }
    }

    private sealed class JobBars
    {
        public Dictionary<int, JobProgress> Latest { get; } = [];

        public bool Changed { get; set; }
    }
}
