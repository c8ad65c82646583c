using System.Collections.Concurrent;
using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// The progress bars of the jobs a command waits on, under its own bar: watches up to <see cref="MaxWatched"/> jobs
/// at a time (the bars of a thousand jobs would say nothing), gathers what their workers publish on the connection's
/// threads, and hands it to the command's thread as ProgressRecords with ids of their own.
/// </summary>
internal sealed class JobProgressView(int parentActivityId) : IAsyncDisposable
{
    /// <summary>The first id of the jobs' bars, clear of the command's own.</summary>
    private const int FirstId = 100;

    /// <summary>How many jobs' progress is shown at once.</summary>
    public const int MaxWatched = 10;

    private readonly Dictionary<string, IAsyncDisposable> watches = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string JobId, int ActivityId), JobProgress> latest = new();
    private readonly Dictionary<(string JobId, int ActivityId), (int Id, string Activity)> bars = [];
    private readonly SemaphoreSlim arrived = new(0);
    private int nextId = FirstId;

    /// <summary>Waits <paramref name="delay"/>, or less when progress arrives.</summary>
    public async Task PauseAsync(TimeSpan delay, CancellationToken stop)
    {
        using var pause = CancellationTokenSource.CreateLinkedTokenSource(stop);
        pause.CancelAfter(delay);
        try
        {
            await arrived.WaitAsync(pause.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            // The pause is over.
        }
    }

    /// <summary>Watches the first jobs of <paramref name="waiting"/> not watched yet, up to <see cref="MaxWatched"/>.</summary>
    public async Task WatchAsync(IEnumerable<Job> waiting)
    {
        foreach (var job in waiting)
        {
            if (watches.Count >= MaxWatched) break;
            if (watches.ContainsKey(job.Id)) continue;
            var id = job.Id;
            watches[id] = await job.WatchProgressAsync(progress =>
            {
                latest[(id, progress.ActivityId)] = progress;
                arrived.Release();
            }).ConfigureAwait(false);
        }
    }

    /// <summary>The progress that arrived, as records to write; their bars sit under the command's own.</summary>
    public List<ProgressRecord> TakeRecords()
    {
        while (arrived.Wait(0)) { }
        var records = new List<ProgressRecord>();
        foreach (var (key, progress) in latest)
        {
            if (!latest.TryRemove(new KeyValuePair<(string, int), JobProgress>(key, progress))) continue;
            records.Add(new ProgressRecord(Id(key, progress.Activity), progress.Activity, string.IsNullOrEmpty(progress.Status) ? " " : progress.Status)
            {
                ParentActivityId = progress.ParentActivityId >= 0 ? Id((key.JobId, progress.ParentActivityId), progress.Activity) : parentActivityId,
                PercentComplete = Math.Clamp(progress.PercentComplete, -1, 100),
                SecondsRemaining = progress.SecondsRemaining,
                CurrentOperation = progress.CurrentOperation,
                RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            });
        }
        return records;
    }

    /// <summary>The job has finished: stops watching it, and returns records that close its bars.</summary>
    public async Task<List<ProgressRecord>> EndAsync(string jobId)
    {
        if (watches.Remove(jobId, out var watch)) await watch.DisposeAsync().ConfigureAwait(false);
        var closing = new List<ProgressRecord>();
        foreach (var key in bars.Keys.Where(k => k.JobId == jobId).ToList())
        {
            var (id, activity) = bars[key];
            closing.Add(new ProgressRecord(id, activity, "Done") { RecordType = ProgressRecordType.Completed, ParentActivityId = parentActivityId });
            bars.Remove(key);
        }
        return closing;
    }

    /// <summary>The bar's id in this command's progress: its own, as two jobs' bars may have the same.</summary>
    private int Id((string JobId, int ActivityId) key, string activity)
    {
        if (!bars.TryGetValue(key, out var bar)) bars[key] = bar = (nextId++, activity);
        return bar.Id;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var watch in watches.Values) await watch.DisposeAsync().ConfigureAwait(false);
        watches.Clear();
    }
}
