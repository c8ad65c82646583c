using System.Globalization;
using Arq.Protocol;
using StackExchange.Redis;

namespace Arq;

/// <summary>A handle on one queue: its counts, its jobs, and a way to empty it. Every call reads Redis afresh.</summary>
public sealed class JobQueue
{
    private const int InspectLimit = 10_000;
    private readonly ArqClient client;
    private readonly QueueKeys keys;

    internal JobQueue(ArqClient client, string name)
    {
        this.client = client;
        Name = name;
        keys = QueueKeys.For(name, client.Options.KeyLayout);
    }

    /// <summary>The queue's name (in arq's key layout, the Redis key of its sorted set).</summary>
    public string Name { get; }

    private IDatabase Database => client.Database;

    /// <summary>Counts queued, deferred and running jobs, reads the workers' health check and the counts of completed
    /// and failed jobs, in two round trips: the due ids, then one script given their in-progress keys.</summary>
    public async Task<QueueInfo> GetInfoAsync()
    {
        var now = UnixTime.Now(client.Options.Clock);
        var due = await InspectDueAsync(now).ConfigureAwait(false);
        var reply = (RedisResult[])(await Database.ScriptEvaluateAsync(ArqScripts.QueueInfo,
            [keys.Queue, keys.HealthCheck, keys.Stats, keys.Paused, keys.Waiting, .. due.Select(entry => keys.InProgress((string)entry.Element!))], [now]).ConfigureAwait(false))!;
        var (total, dueCount, running) = ((long)reply[0], (long)reply[1], (long)reply[2]);
        TimeSpan? oldest = reply[3].IsNull ? null : TimeSpan.FromMilliseconds(now - UnixTime.FromScore(due[(int)reply[3] - 1].Score));
        var counts = (RedisResult[])reply[5]!;
        return new QueueInfo(Name, dueCount - running, total - dueCount, running, oldest, WorkerHealth.Parse((string?)reply[4]),
            counts[0].IsNull ? 0 : (long)counts[0], counts[1].IsNull ? 0 : (long)counts[1]) { Paused = (long)reply[6] == 1, Waiting = (long)reply[7] };
    }

    /// <summary>Pauses the queue: Arq workers claim none of its jobs from their next poll on, until
    /// <see cref="ResumeAsync"/>; jobs they run finish, and enqueueing goes on. The pause is kept in Redis, so it holds
    /// across worker restarts. Python arq workers do not know it and go on claiming (docs/interop.md).</summary>
    /// <returns>False when the queue was paused already.</returns>
    public Task<bool> PauseAsync() => Database.StringSetAsync(keys.Paused, client.Options.Clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), when: When.NotExists);

    /// <summary>Resumes a paused queue: Arq workers claim its jobs again at their next poll.</summary>
    /// <returns>False when the queue was not paused.</returns>
    public async Task<bool> ResumeAsync()
    {
        if (!await Database.KeyDeleteAsync(keys.Paused).ConfigureAwait(false)) return false;
        await Database.PublishAsync(keys.Wake, "").ConfigureAwait(false); // as an enqueue does: idle workers claim at once
        return true;
    }

    /// <summary>The first <paramref name="limit"/> jobs of the queue in score order, with status and definition.</summary>
    public async Task<IReadOnlyList<QueuedJob>> GetJobsAsync(int limit = InspectLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var now = UnixTime.Now(client.Options.Clock);
        var entries = await Database.SortedSetRangeByRankWithScoresAsync(keys.Queue, 0, limit - 1).ConfigureAwait(false);
        return await ReadAsync(entries.Select(e => ((string)e.Element!, (long?)UnixTime.FromScore(e.Score))).ToList(), now, withResults: false).ConfigureAwait(false);
    }

    /// <summary>
    /// A page of one <paramref name="listing"/> of the queue's jobs, for queues of any length: each listing
    /// reads only its page. <see cref="JobListing.Queued"/> lists the due jobs in the order they run (those running
    /// among them have <see cref="JobStatus.InProgress"/>); <see cref="JobListing.InProgress"/> finds running jobs among
    /// the first 10,000 due ones; <see cref="JobListing.Complete"/> lists the latest <see cref="ArqKeys.CompletedKept"/>
    /// that Arq workers finished, newest first, with their results (a result no longer kept leaves only the id);
    /// <see cref="JobListing.Failed"/> the dead letters, newest first, each with the result it failed with, or where
    /// the workers keep none, the latest <see cref="ArqKeys.FailuresKept"/> failures as the completed ones;
    /// <see cref="JobListing.Waiting"/> the continuations waiting for their parents, in the order they will be queued.
    /// </summary>
    /// <param name="listing">Which jobs.</param>
    /// <param name="offset">How many to skip.</param>
    /// <param name="count">How many at most, 1 to 1,000.</param>
    public async Task<JobPage> GetPageAsync(JobListing listing, long offset = 0, int count = 50)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 1000);
        var now = UnixTime.Now(client.Options.Clock);
        if (listing == JobListing.Failed && await DeadAsync().ConfigureAwait(false) is { Total: > 0 } dead)
            return new JobPage(listing, offset, dead.Total, await ReadDeadAsync(dead.Ids).ConfigureAwait(false));
        var (total, ids) = listing switch
        {
            JobListing.Queued => await ScoredAsync(double.NegativeInfinity, now, Exclude.None).ConfigureAwait(false),
            JobListing.Deferred => await ScoredAsync(now, double.PositiveInfinity, Exclude.Start).ConfigureAwait(false),
            JobListing.InProgress => await RunningAsync().ConfigureAwait(false),
            JobListing.Complete => await ListedAsync(keys.Completed).ConfigureAwait(false),
            JobListing.Failed => await ListedAsync(keys.Failures).ConfigureAwait(false), // no dead letters: workers keep none
            JobListing.Waiting => await WaitingAsync().ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(listing), listing, "Not a listing."),
        };
        var jobs = await ReadAsync(ids, now, withResults: true).ConfigureAwait(false);
        if (listing == JobListing.Waiting) // scored in the waiting set, not the queue
            jobs = jobs.Select(job => job.Status is JobStatus.Queued or JobStatus.Deferred ? job with { Status = JobStatus.Waiting } : job).ToList();
        return new JobPage(listing, offset, total, jobs);

        async Task<(long, List<(string, long?)>)> WaitingAsync()
        {
            var batch = Database.CreateBatch();
            var page = batch.SortedSetRangeByRankWithScoresAsync(keys.Waiting, offset, offset + count - 1);
            var size = batch.SortedSetLengthAsync(keys.Waiting);
            batch.Execute();
            return (await size.ConfigureAwait(false), (await page.ConfigureAwait(false)).Select(e => ((string)e.Element!, (long?)UnixTime.FromScore(e.Score))).ToList());
        }

        // The dead letters' ids, newest first.
        async Task<(long Total, List<string> Ids)> DeadAsync()
        {
            var batch = Database.CreateBatch();
            var page = batch.SortedSetRangeByRankAsync(keys.DeadLetterTimes, offset, offset + count - 1, Order.Descending);
            var size = batch.SortedSetLengthAsync(keys.DeadLetterTimes);
            batch.Execute();
            return (await size.ConfigureAwait(false), (await page.ConfigureAwait(false)).Select(id => (string)id!).ToList());
        }

        async Task<(long, List<(string, long?)>)> ScoredAsync(double min, double max, Exclude exclude)
        {
            var batch = Database.CreateBatch();
            var page = batch.SortedSetRangeByScoreWithScoresAsync(keys.Queue, min, max, exclude, skip: offset, take: count);
            var size = batch.SortedSetLengthAsync(keys.Queue, min, max, exclude);
            batch.Execute();
            return (await size.ConfigureAwait(false), (await page.ConfigureAwait(false)).Select(e => ((string)e.Element!, (long?)UnixTime.FromScore(e.Score))).ToList());
        }

        async Task<(long, List<(string, long?)>)> RunningAsync()
        {
            // Running jobs have no index of their own: they are found among the first due ids, which they lead.
            var due = await InspectDueAsync(now).ConfigureAwait(false);
            var batch = Database.CreateBatch();
            var running = due.Select(e => batch.KeyExistsAsync(keys.InProgress((string)e.Element!))).ToList();
            batch.Execute();
            var flags = await Task.WhenAll(running).ConfigureAwait(false);
            var found = due.Where((_, i) => flags[i]).Select(e => ((string)e.Element!, (long?)UnixTime.FromScore(e.Score))).ToList();
            return (found.Count, found.Skip((int)Math.Min(offset, int.MaxValue)).Take(count).ToList());
        }

        async Task<(long, List<(string, long?)>)> ListedAsync(RedisKey list)
        {
            var batch = Database.CreateBatch();
            var page = batch.ListRangeAsync(list, offset, offset + count - 1);
            var size = batch.ListLengthAsync(list);
            batch.Execute();
            return (await size.ConfigureAwait(false), (await page.ConfigureAwait(false)).Select(id => ((string)id!, (long?)null)).ToList());
        }
    }

    /// <summary>Dead letters as listings show them: finished, with the result each failed with.</summary>
    private async Task<List<QueuedJob>> ReadDeadAsync(List<string> ids)
    {
        var results = await Database.HashGetAsync(keys.DeadLetters, [.. ids.Select(id => (RedisValue)id)]).ConfigureAwait(false);
        var jobs = new List<QueuedJob>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            var (id, bytes) = (ids[i], results[i]);
            jobs.Add(Listed(id, JobStatus.Complete, () => bytes.IsNull ? null : JobResult.From(id, ResultMessage.Decode((byte[])bytes!))));
        }
        return jobs;
    }

    /// <summary>Arq's own: the dead letter of a job of this queue that failed for good (the result it failed with, kept
    /// beyond the result's own lifetime, <see cref="Worker.ArqWorkerOptions.KeepFailed"/>); null when none is kept.</summary>
    public async Task<JobResult?> GetFailedJobAsync(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var dead = await Database.HashGetAsync(keys.DeadLetters, jobId).ConfigureAwait(false);
        return dead.IsNull ? null : JobResult.From(jobId, ResultMessage.Decode((byte[])dead!));
    }

    /// <summary>
    /// Arq's own: submits a job of this queue that failed for good again, as it was first enqueued (its function and
    /// arguments, under its id, due now), from the dead letters that Arq workers keep
    /// (<see cref="Worker.ArqWorkerOptions.KeepFailed"/>; listed by <see cref="GetPageAsync"/> with
    /// <see cref="JobListing.Failed"/>). Its failed result, its dead letter and its place among the queue's failures
    /// go; its tries count from one again.
    /// </summary>
    /// <returns>The job, queued again; null when no dead letter of that id is kept.</returns>
    /// <exception cref="InvalidOperationException">A job with that id is queued or running.</exception>
    public async Task<Job?> RetryFailedJobAsync(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        if (await GetFailedJobAsync(jobId).ConfigureAwait(false) is not { } failed) return null;
        var now = UnixTime.Now(client.Options.Clock);
        var message = new JobMessage(failed.Function, failed.Args, failed.Kwargs, now);
        var sent = (long)await Database.ScriptEvaluateAsync(ArqScripts.RetryFailed,
            [keys.DeadLetters, keys.DeadLetterTimes, keys.Failures, keys.Job(jobId), keys.Result(jobId), keys.Queue, keys.InProgress(jobId), keys.Streams(jobId)],
            [jobId, (long)client.Options.ExpiresExtra.TotalMilliseconds, message.Encode(), now]).ConfigureAwait(false);
        return sent switch
        {
            -1 => null,
            0 => throw new InvalidOperationException($"Job {jobId} is queued or running on {Name}; it was not submitted again."),
            _ => client.GetJob(jobId, Name),
        };
    }

    /// <summary>The first <see cref="InspectLimit"/> due ids with their scores: where running jobs are looked for.</summary>
    private Task<SortedSetEntry[]> InspectDueAsync(long now) =>
        Database.SortedSetRangeByScoreWithScoresAsync(keys.Queue, double.NegativeInfinity, now, take: InspectLimit);

    /// <summary>The jobs <paramref name="ids"/> as listings show them: in progress or not, their queued messages and,
    /// with <paramref name="withResults"/>, their results, read in one pipelined round trip.</summary>
    private async Task<List<QueuedJob>> ReadAsync(List<(string Id, long? Score)> ids, long now, bool withResults)
    {
        var batch = Database.CreateBatch();
        var reads = ids.Select(entry => (
            InProgress: batch.KeyExistsAsync(keys.InProgress(entry.Id)),
            Job: batch.StringGetAsync(keys.Job(entry.Id)),
            Result: withResults ? batch.StringGetAsync(keys.Result(entry.Id)) : Task.FromResult(RedisValue.Null))).ToList();
        batch.Execute();
        var jobs = new List<QueuedJob>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            var (inProgress, job, result) = reads[i];
            jobs.Add(Found(ids[i].Id, ids[i].Score, await inProgress.ConfigureAwait(false), await job.ConfigureAwait(false),
                await result.ConfigureAwait(false), now));
        }
        return jobs;
    }

    /// <summary>A job as a listing found it: its result when it has one, else its queued message and where it stands.</summary>
    private QueuedJob Found(string id, long? score, bool inProgress, RedisValue jobBytes, RedisValue resultBytes, long now)
    {
        DateTimeOffset? due = score is { } ms ? UnixTime.FromMilliseconds(ms) : null;
        var status = !resultBytes.IsNull ? JobStatus.Complete
            : inProgress ? JobStatus.InProgress
            : due is null ? JobStatus.NotFound
            : UnixTime.Milliseconds(due.Value) > now ? JobStatus.Deferred : JobStatus.Queued;
        return Listed(id, status, () => !resultBytes.IsNull
            ? JobResult.From(id, ResultMessage.Decode((byte[])resultBytes!)) with { DueTime = due }
            : jobBytes.IsNull ? null : JobDefinition.From(id, JobMessage.Decode((byte[])jobBytes!), due));
    }

    /// <summary>A job as a listing shows it, what <paramref name="decode"/> reads of it; bytes that are not a valid arq
    /// message leave it without a definition and with the reason, so that one does not stop the listing.</summary>
    private QueuedJob Listed(string id, JobStatus status, Func<JobDefinition?> decode)
    {
        var job = client.GetJob(id, Name);
        try
        {
            return new QueuedJob(job, status, decode());
        }
        catch (ArqProtocolException e)
        {
            return new QueuedJob(job, status, null) { Problem = e.Message };
        }
    }

    /// <summary>The cron jobs that workers of this queue run, with their next runs, in name order (an Arq worker
    /// publishes them; Python arq workers do not).</summary>
    public async Task<IReadOnlyList<CronJobInfo>> GetCronJobsAsync()
    {
        var entries = await Database.HashGetAllAsync(keys.CronSchedule).ConfigureAwait(false);
        return entries.Select(e => CronJobInfo.FromJson((string)e.Value!)).OfType<CronJobInfo>().OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The latest jobs of this queue that failed for good on an Arq worker, newest first, with their errors:
    /// the first of <see cref="JobListing.Failed"/>, those with a result.</summary>
    public async Task<IReadOnlyList<JobResult>> GetRecentFailuresAsync(int limit = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var page = await GetPageAsync(JobListing.Failed, 0, Math.Min(limit, 1000)).ConfigureAwait(false);
        return page.Jobs.Select(job => job.Definition).OfType<JobResult>().ToList();
    }

    /// <summary>Removes every job that is not running, with its keys; running jobs finish as usual. A thousand ids a
    /// script call, each given the keys it deletes.</summary>
    /// <returns>How many jobs were removed.</returns>
    public async Task<long> ClearAsync()
    {
        long removed = 0, kept = 0;
        while (true)
        {
            var ids = await Database.SortedSetRangeByRankAsync(keys.Queue, kept, kept + 999).ConfigureAwait(false);
            if (ids.Length == 0) return removed;
            var chunk = Array.ConvertAll(ids, id => (string)id!);
            var reply = (RedisResult[])(await Database.ScriptEvaluateAsync(ArqScripts.ClearQueue, keys.WithJobKeys(chunk, keys.Queue, keys.Parents), ids).ConfigureAwait(false))!;
            removed += (long)reply[0];
            kept += (long)reply[1];
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
