using Arq.Protocol;
using Arq.Worker;

namespace Arq.Testing;

/// <summary>
/// Arq's queues held in memory, for tests without Redis: jobs, results, tries, leases and abort requests behave as
/// docs/protocol.md describes them in Redis (duplicates refused by id, deferral by score, expiry of jobs and results, a
/// cron run's in-progress key kept 60 s), encoded with the real codec. <see cref="ArqTestHarness"/> runs the real
/// worker against it. Health checks, cron schedules and queue statistics are not kept.
/// </summary>
public sealed class InMemoryBroker
{
    private readonly object gate = new();
    private readonly Dictionary<string, Dictionary<string, long>> queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> results = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> leases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> tries = new(StringComparer.Ordinal);
    private readonly HashSet<string> aborts = new(StringComparer.Ordinal);
    private readonly HashSet<string> paused = new(StringComparer.Ordinal);

    /// <summary>Creates an empty broker on <paramref name="clock"/> (the system clock by default).</summary>
    public InMemoryBroker(TimeProvider? clock = null) => ClientOptions = new ArqClientOptions { Clock = clock ?? TimeProvider.System };

    /// <summary>The enqueue settings (default queue, clock, expiry), as an <see cref="ArqClient"/> has them.</summary>
    public ArqClientOptions ClientOptions { get; }

    internal long Now => UnixTime.Now(ClientOptions.Clock);

    /// <summary>Raised with the queue's name after a job is enqueued.</summary>
    internal event Action<string>? Enqueued;

    /// <summary>Enqueues a job as <see cref="IArqClient.EnqueueAsync"/> does; returns its id, or null when a job with
    /// that id exists (queued, running, or with a result).</summary>
    public string? Enqueue(string function, object?[]? args = null, IReadOnlyDictionary<string, object?>? kwargs = null, EnqueueOptions? options = null)
    {
        var request = EnqueueRequest.Create(ClientOptions, function, args, kwargs, options ?? new EnqueueOptions());
        return Enqueue(request) ? request.JobId : null;
    }

    internal bool Enqueue(EnqueueRequest request)
    {
        if (request.Message.After is not null)
            throw new NotSupportedException("The in-memory broker does not run continuations (EnqueueOptions.After): test them against a Redis server.");
        lock (gate)
        {
            var now = Now;
            if (Live(jobs, request.JobId, now) is not null || Live(results, request.JobId, now) is not null || Leased(request.JobId, now)) return false;
            jobs[request.JobId] = new Entry(request.Message.Encode(), now + request.ExpiryMs);
            Queue(request.Queue)[request.JobId] = request.Score;
        }
        Enqueued?.Invoke(request.Queue);
        return true;
    }

    /// <summary>The job's status in <paramref name="queue"/> (the default queue when null), by docs/protocol.md §9.</summary>
    public JobStatus GetStatus(string jobId, string? queue = null)
    {
        lock (gate)
        {
            var now = Now;
            if (Live(results, jobId, now) is not null) return JobStatus.Complete;
            if (Leased(jobId, now)) return JobStatus.InProgress;
            if (!Queue(queue ?? ClientOptions.DefaultQueue).TryGetValue(jobId, out var score) || score == 0) return JobStatus.NotFound;
            return score > now ? JobStatus.Deferred : JobStatus.Queued;
        }
    }

    /// <summary>The job's stored result, if any.</summary>
    public JobResult? GetResult(string jobId) => ResultBytes(jobId) is { } bytes ? JobResult.From(jobId, ResultMessage.Decode(bytes)) : null;

    internal byte[]? ResultBytes(string jobId)
    {
        lock (gate) return Live(results, jobId, Now)?.Bytes;
    }

    /// <summary>What the job wrote to its streams, kept with its result; null when it wrote nothing or the result
    /// was not kept.</summary>
    public JobStreams? GetStreams(string jobId) => StreamBytes(jobId) is { } bytes ? StreamsMessage.Decode(bytes) : null;

    internal byte[]? StreamBytes(string jobId)
    {
        lock (gate) return Live(streams, jobId, Now)?.Bytes;
    }

    /// <summary>Pauses a queue, as <see cref="JobQueue.PauseAsync"/> does: workers claim none of its jobs until it is
    /// resumed; false when it was paused already.</summary>
    public bool Pause(string? queue = null)
    {
        lock (gate) return paused.Add(queue ?? ClientOptions.DefaultQueue);
    }

    /// <summary>Resumes a paused queue, as <see cref="JobQueue.ResumeAsync"/> does; false when it was not paused.</summary>
    public bool Resume(string? queue = null)
    {
        bool resumed;
        lock (gate) resumed = paused.Remove(queue ?? ClientOptions.DefaultQueue);
        if (resumed) Enqueued?.Invoke(queue ?? ClientOptions.DefaultQueue); // wakes idle workers, as the wake channel does
        return resumed;
    }

    /// <summary>Asks for a job to be aborted, as <see cref="Job.RequestAbortAsync"/> does.</summary>
    public void RequestAbort(string jobId)
    {
        lock (gate)
        {
            foreach (var queue in queues.Values)
                if (queue.TryGetValue(jobId, out var score) && score > Now) queue[jobId] = 1;
            aborts.Add(jobId);
        }
    }

    /// <summary>The job's result, score and (with <paramref name="withMessage"/>) message, as Redis would give them.</summary>
    internal StoredJob Read(string jobId, string queue, bool withMessage)
    {
        lock (gate)
        {
            var now = Now;
            long? score = Queue(queue).TryGetValue(jobId, out var s) ? s : null;
            return new StoredJob(Live(results, jobId, now)?.Bytes, withMessage ? Live(jobs, jobId, now)?.Bytes : null, score);
        }
    }

    /// <summary>Deletes a job that does not run, as <see cref="Job.DeleteAsync"/> does: 1 deleted, 0 nothing, -1 running.</summary>
    internal long Delete(string jobId, string queue)
    {
        lock (gate)
        {
            if (Leased(jobId, Now)) return -1;
            var removed = Queue(queue).Remove(jobId) | jobs.Remove(jobId) | results.Remove(jobId) | streams.Remove(jobId);
            tries.Remove(jobId);
            aborts.Remove(jobId);
            return removed ? 1 : 0;
        }
    }

    /// <summary>Writes raw bytes as a job on <paramref name="queue"/>, due now, as a misbehaving producer might.</summary>
    public void EnqueueRaw(string jobId, byte[] bytes, string? queue = null)
    {
        lock (gate)
        {
            jobs[jobId] = new Entry(bytes, long.MaxValue);
            Queue(queue ?? ClientOptions.DefaultQueue)[jobId] = Now;
        }
        Enqueued?.Invoke(queue ?? ClientOptions.DefaultQueue);
    }

    internal ClaimResult Claim(IReadOnlyList<string> queueNames, int free, long leaseMs, bool allowAbort, bool fetchAborts, long maxJobBytes)
    {
        lock (gate)
        {
            var now = Now;
            var claimed = new List<ClaimedJob>();
            long queued = 0;
            foreach (var name in queueNames.Where(name => !paused.Contains(name))) // a paused queue's jobs wait, and end no burst
            {
                queued += Queue(name).Count;
                if (free <= 0) continue;
                foreach (var (id, score) in Queue(name).Where(e => e.Value != 0 && e.Value <= now).OrderBy(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).ToList())
                {
                    if (free <= 0) break;
                    if (Leased(id, now)) continue;
                    leases[id] = now + leaseMs;
                    var @try = tries[id] = tries.GetValueOrDefault(id) + 1;
                    var aborted = allowAbort && aborts.Remove(id);
                    var bytes = Live(jobs, id, now)?.Bytes;
                    var oversize = bytes is not null && maxJobBytes > 0 && bytes.Length > maxJobBytes ? bytes.Length : 0;
                    claimed.Add(new ClaimedJob(id, name, score, @try, aborted, oversize > 0 ? null : bytes, oversize));
                    free--;
                }
            }
            return new ClaimResult(claimed, fetchAborts ? aborts.ToList() : [], queued);
        }
    }

    internal void Finish(string jobId, string queue, byte[]? result, TimeSpan keep, bool cron, byte[]? jobStreams = null)
    {
        lock (gate)
        {
            var now = Now;
            var expires = keep == Timeout.InfiniteTimeSpan ? long.MaxValue : now + (long)keep.TotalMilliseconds;
            if (result is not null && keep != TimeSpan.Zero) results[jobId] = new Entry(result, expires);
            if (jobStreams is not null && keep != TimeSpan.Zero) streams[jobId] = new Entry(jobStreams, expires);
            aborts.Remove(jobId);
            Queue(queue).Remove(jobId);
            if (cron) leases[jobId] = now + ArqKeys.CronProgressKeepMs; else leases.Remove(jobId);
            tries.Remove(jobId);
            jobs.Remove(jobId);
        }
    }

    /// <summary>How many jobs of <paramref name="queueNames"/> are due now (and not aborted while deferred).</summary>
    internal long CountDue(IEnumerable<string> queueNames)
    {
        lock (gate)
        {
            var now = Now;
            return queueNames.Where(name => !paused.Contains(name)).Sum(name => Queue(name).Count(e => e.Value != 0 && e.Value <= now));
        }
    }

    internal void Retry(string jobId, string queue, long scoreIncrement)
    {
        lock (gate)
        {
            if (scoreIncrement != 0 && Queue(queue).TryGetValue(jobId, out var score)) Queue(queue)[jobId] = score + scoreIncrement;
            leases.Remove(jobId);
        }
    }

    internal void Renew(IEnumerable<string> jobIds, long leaseMs)
    {
        lock (gate)
            foreach (var id in jobIds)
                if (Leased(id, Now)) leases[id] = Now + leaseMs;
    }

    internal void SetTry(string jobId, long @try)
    {
        lock (gate) tries[jobId] = @try;
    }

    private Dictionary<string, long> Queue(string name) =>
        queues.TryGetValue(name, out var queue) ? queue : queues[name] = new Dictionary<string, long>(StringComparer.Ordinal);

    private bool Leased(string jobId, long now) => leases.TryGetValue(jobId, out var until) && until > now;

    private static Entry? Live(Dictionary<string, Entry> entries, string id, long now) =>
        entries.TryGetValue(id, out var entry) && entry.ExpiresMs > now ? entry : null;

    private sealed record Entry(byte[] Bytes, long ExpiresMs);
}
