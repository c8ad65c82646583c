using Arq.Protocol;
using StackExchange.Redis;

namespace Arq.Supervision;

/// <summary>
/// Sorts the job that crashed an executor from the jobs that only ran beside it, so that no bystander pays a try for
/// another job's crash. An executor's worker writes its id into the in-progress key of each job it runs; when the
/// executor dies, those keys name the suspects.
/// <list type="bullet">
/// <item>One suspect is the culprit: its try is spent, and it runs again.</item>
/// <item>Several suspects are refunded their try and held (the triage takes their in-progress keys, renewing them as
/// a worker renews its leases), then released one at a time, each once the one before has run. Meanwhile the
/// supervisor has the executor run one job at a time (see <see cref="Busy"/>), so that the next crash has one suspect,
/// whether a released job or one that was never held.</item>
/// </list>
/// A released job is never convicted for running when the executor dies: jobs that were never suspects may run
/// beside it, one of them the culprit, until the executor runs one job at a time.
/// Held jobs are released when the supervisor stops, and if it dies their keys expire after <see cref="HoldTime"/>,
/// as a dead worker's leases do: nothing is lost.
/// </summary>
internal sealed class CrashTriage(string? redis, IReadOnlyList<string> queues, KeyLayout requestedLayout = KeyLayout.Arq) : IAsyncDisposable
{
    private QueueKeys[] queueKeys = []; // once connected, in the layout that suits the server

    /// <summary>How long a held job's in-progress key lives without renewal.</summary>
    public static readonly TimeSpan HoldTime = TimeSpan.FromSeconds(30);

    private readonly string holderId = $"arq-supervisor:{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly Queue<Suspect> held = new();
    private readonly SemaphoreSlim gate = new(1, 1); // the supervisor's run and its ticks both sort
    private ConnectionMultiplexer? connection;
    private Suspect? released;
    private bool releasedRan;

    /// <summary>Whether a crash has left jobs to sort out: until it has not, the executor runs one job at a time.</summary>
    public bool Busy => released is not null || held.Count > 0;

    /// <summary>
    /// Finds the jobs the dead executor's worker ran, charges the culprit if it can tell which it is, refunds and
    /// holds the rest; returns what happened, in words, and whether a culprit was found.
    /// </summary>
    public async Task<(string Report, bool Convicted)> AfterCrashAsync(string deadWorkerId)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return await SortAsync(deadWorkerId).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(string Report, bool Convicted)> SortAsync(string deadWorkerId)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        var suspects = await HeldByAsync(db, deadWorkerId).ConfigureAwait(false);
        if (suspects.Count == 0) return ("It was running no job.", false);

        var culprit = suspects.Count == 1 ? suspects[0] : null;
        if (released is not null && suspects.Contains(released)) released = null; // convicted, or held again below
        var names = await NamesAsync(db, suspects).ConfigureAwait(false);
        foreach (var suspect in suspects.Where(s => s != culprit))
        {
            // The try it started is given back: it runs again later, on its own.
            await db.StringDecrementAsync(suspect.Keys.Retry(suspect.Id)).ConfigureAwait(false);
            await HoldAsync(db, suspect).ConfigureAwait(false);
        }
        if (culprit is not null && released is null)
        {
            // It runs again, its try spent: until it has, no held job is released.
            released = culprit;
            releasedRan = false;
            await db.KeyDeleteAsync(culprit.InProgress).ConfigureAwait(false);
        }
        else if (culprit is not null)
        {
            await HoldAsync(db, culprit).ConfigureAwait(false); // a released job is out already: one at a time
        }
        var running = string.Join(", ", suspects.Select(suspect => $"{suspect.Id} ({names[suspect]})"));
        var report = culprit is null
            ? $"It was running {running}: each will run again on its own, its try given back, to find the one that crashes."
            : $"It was running {running} alone, which has spent a try.";
        return (report, culprit is not null);
    }

    private async Task HoldAsync(IDatabase db, Suspect suspect)
    {
        await db.StringSetAsync(suspect.InProgress, holderId, HoldTime).ConfigureAwait(false);
        held.Enqueue(suspect);
    }

    /// <summary>Renews the holds, and releases the next held job once the one released before has run.</summary>
    public async Task TickAsync()
    {
        if (!Busy) return;
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await RenewAndReleaseAsync().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task RenewAndReleaseAsync()
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        foreach (var suspect in held) await db.KeyExpireAsync(suspect.InProgress, HoldTime).ConfigureAwait(false);
        if (released is not null)
        {
            var owner = await db.StringGetAsync(released.InProgress).ConfigureAwait(false);
            if (owner.HasValue) releasedRan = true;
            else if (releasedRan || !await db.KeyExistsAsync(released.Keys.Job(released.Id)).ConfigureAwait(false)) released = null;
        }
        if (released is null && held.TryDequeue(out var next))
        {
            released = next;
            releasedRan = false;
            await db.KeyDeleteAsync(next.InProgress).ConfigureAwait(false);
            // Wake the worker, as an enqueue would, rather than leave the job to its next poll.
            foreach (var queue in queueKeys) await db.PublishAsync(queue.Wake, "").ConfigureAwait(false);
        }
    }

    /// <summary>Releases every held job, so that any worker may run it at once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (connection is null) return;
        try
        {
            var db = connection.GetDatabase();
            while (held.TryDequeue(out var suspect))
            {
                // Only while the hold is still the triage's own.
                if (await db.StringGetAsync(suspect.InProgress).ConfigureAwait(false) == holderId)
                    await db.KeyDeleteAsync(suspect.InProgress).ConfigureAwait(false);
            }
        }
        catch (RedisException)
        {
            // Their holds expire by themselves.
        }
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<IDatabase> DatabaseAsync()
    {
        if (connection is null)
        {
            connection = await RedisConnector.ConnectAsync(RedisConnector.Parse(redis)).ConfigureAwait(false);
            // As the executor's worker does: on a cluster, the cluster's layout.
            var layout = KeyLayoutCheck.Suited(connection, requestedLayout);
            queueKeys = queues.Select(q => QueueKeys.For(q, layout)).ToArray();
        }
        return connection.GetDatabase();
    }

    /// <summary>The jobs whose in-progress key holds <paramref name="workerId"/>: a SCAN of the queues' in-progress
    /// keys (as many as jobs run at once), on the shard of each queue in a cluster.</summary>
    private async Task<List<Suspect>> HeldByAsync(IDatabase db, string workerId)
    {
        var suspects = new List<Suspect>();
        // In arq's layout every queue's jobs share the global in-progress keys: one scan finds them all.
        foreach (var queue in queueKeys.DistinctBy(q => q.InProgressPattern))
        {
            RedisKey? shard = queue.Layout == KeyLayout.Cluster ? queue.Queue : (RedisKey?)null;
            var keys = await KeyScan.ListAsync(db, queue.InProgressPattern, slotOf: shard).ConfigureAwait(false);
            // One MGET a thousand keys: one queue's in-progress keys share a node (and a slot, in a cluster).
            foreach (var chunk in keys.Chunk(1000))
            {
                var owners = await db.StringGetAsync([.. chunk.Select(key => (RedisKey)key)]).ConfigureAwait(false);
                for (var i = 0; i < chunk.Length; i++)
                    if (owners[i] == workerId) suspects.Add(new Suspect(queue.JobIdOfInProgress(chunk[i]), queue));
            }
        }
        return suspects;
    }

    private static async Task<Dictionary<Suspect, string>> NamesAsync(IDatabase db, IEnumerable<Suspect> suspects)
    {
        var names = new Dictionary<Suspect, string>();
        foreach (var suspect in suspects)
        {
            var bytes = await db.StringGetAsync(suspect.Keys.Job(suspect.Id)).ConfigureAwait(false);
            names[suspect] = bytes.HasValue ? FunctionOf(bytes!) : "?";
        }
        return names;
    }

    private static string FunctionOf(byte[] job)
    {
        try
        {
            return JobMessage.Decode(job).Function;
        }
        catch (ArqProtocolException)
        {
            return "not a valid job";
        }
    }

    /// <summary>A job the dead executor ran, with the keys of its queue.</summary>
    private sealed record Suspect(string Id, QueueKeys Keys)
    {
        public RedisKey InProgress => Keys.InProgress(Id);
    }
}
