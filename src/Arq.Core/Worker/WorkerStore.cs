using System.Globalization;
using Arq.Protocol;
using StackExchange.Redis;

namespace Arq.Worker;

/// <summary>The worker's Redis calls: each step of the protocol in one round trip.</summary>
internal sealed class WorkerStore(IConnectionMultiplexer connection, ArqWorkerOptions options) : IWorkerStore
{
    private readonly IDatabase redis = connection.GetDatabase();
    private readonly ArqClientOptions cronOptions = new() { Clock = options.Clock };
    private readonly QueueKeys[] queues = options.Queues.Select(q => QueueKeys.For(q, options.KeyLayout)).ToArray();
    private readonly long leaseMs = (long)options.LeaseTime.TotalMilliseconds;
    private readonly (int, TimeSpan) deadLetters = (options.KeepFailed, options.KeepFailedFor);
    private const int MaxFinishBatch = 256;
    private readonly int readLimit = Math.Max(options.MaxJobs * 5, 100);
    private readonly System.Threading.Channels.Channel<PendingFinish> finishes =
        System.Threading.Channels.Channel.CreateUnbounded<PendingFinish>(new() { SingleReader = true });

    public long Now => UnixTime.Now(options.Clock);

    /// <summary>Reads each queue's due ids, its size and the abort requests in one round trip; then, queue by queue in
    /// priority order while slots are free, claims those still due and not in progress, every key it touches passed
    /// to the script (as Redis Cluster requires). The jobs running here are left out (their leases are this worker's
    /// to renew, <see cref="RenewLeasesAsync"/>), and the rest go a few more than the free slots at a time, since jobs
    /// other workers run sit at the head of the queue too. The first read goes as deep as this worker's own jobs and
    /// its free slots; only when other workers' jobs fill that too does it read deeper, as arq does (queue_read_limit).</summary>
    public async Task<ClaimResult> ClaimAsync(int free, bool fetchAborts, Func<string, bool> runsHere, IReadOnlyList<FunctionRateLimit>? functionLimits = null)
    {
        var limits = new ClaimRateLimits(functionLimits ?? [], options.RateLimit);
        var now = Now;
        var shallow = Math.Min(readLimit, free + options.MaxJobs + ClaimMargin);
        var reads = redis.CreateBatch();
        var due = Array.ConvertAll(queues, q => reads.SortedSetRangeByScoreWithScoresAsync(q.Queue, double.NegativeInfinity, now, take: shallow));
        var sizes = Array.ConvertAll(queues, q => reads.SortedSetLengthAsync(q.Queue));
        var paused = Array.ConvertAll(queues, q => reads.KeyExistsAsync(q.Paused));
        var aborts = fetchAborts && options.AllowAbortJobs
            ? queues.Select(q => q.Abort).Distinct().Select(key => reads.SortedSetRangeByRankAsync(key)).ToArray()
            : [];
        reads.Execute();
        var jobs = new List<ClaimedJob>();
        for (var q = 0; q < queues.Length && free > 0; q++)
        {
            if (await paused[q].ConfigureAwait(false)) continue;
            var read = await due[q].ConfigureAwait(false);
            free -= await ClaimAmongAsync(queues[q], read, free, now, runsHere, jobs, limits).ConfigureAwait(false);
            if (free > 0 && read.Length == shallow && shallow < readLimit && !limits.QueueExhausted)
            {
                var deeper = await redis.SortedSetRangeByScoreWithScoresAsync(queues[q].Queue, double.NegativeInfinity, now, skip: shallow, take: readLimit - shallow).ConfigureAwait(false);
                free -= await ClaimAmongAsync(queues[q], deeper, free, now, runsHere, jobs, limits).ConfigureAwait(false);
            }
        }
        var requested = new List<string>();
        foreach (var abort in aborts) requested.AddRange((await abort.ConfigureAwait(false)).Select(id => (string)id!));
        long queued = 0; // what this worker may run: a paused queue's jobs do not keep a burst going
        for (var q = 0; q < queues.Length; q++)
            if (!await paused[q].ConfigureAwait(false)) queued += await sizes[q].ConfigureAwait(false);
        return new ClaimResult(jobs, requested, queued, limits.Wait);
    }

    /// <summary>Claims up to <paramref name="free"/> jobs among the due ids read, a few more than the free slots a script
    /// call; returns how many it claimed.</summary>
    private async Task<int> ClaimAmongAsync(QueueKeys queue, SortedSetEntry[] read, int free, long now, Func<string, bool> runsHere,
        List<ClaimedJob> jobs, ClaimRateLimits limits)
    {
        var candidates = new List<string>();
        foreach (var entry in read)
            if (entry.Score != 0 && (string)entry.Element! is var id && !runsHere(id)) candidates.Add(id);
        limits.QueueExhausted = false;
        var total = 0;
        for (var first = 0; first < candidates.Count && total < free && !limits.QueueExhausted;)
        {
            var chunk = candidates.GetRange(first, Math.Min(free - total + ClaimMargin, candidates.Count - first));
            first += chunk.Count;
            var reply = (RedisResult[])(await redis.ScriptEvaluateAsync(ArqScripts.Claim, queue.WithJobKeys(chunk, limits.Keys(queue)),
            [
                now, free - total, leaseMs, options.AllowAbortJobs ? 1 : 0, options.MaxJobBytes, options.WorkerId ?? "1",
                .. limits.Arguments, .. chunk.Select(id => (RedisValue)id),
            ]).ConfigureAwait(false))!;
            var claimed = ClaimedJob.Parse(reply[0], chunk, queue.Name);
            limits.Note(waitMs: (long)reply[1], queueExhausted: (long)reply[2] == 1);
            jobs.AddRange(claimed);
            total += claimed.Count;
        }
        return total;
    }

    /// <summary>How many candidates beyond the free slots a claim script is given: what another worker may have claimed
    /// since the read.</summary>
    private const int ClaimMargin = 8;

    public async Task<(string? FailedParent, IReadOnlyList<JobResult> Results)> ReadParentsAsync(string jobId, string queue, IReadOnlyList<string> parents)
    {
        var keys = QueueKeys.For(queue, options.KeyLayout);
        var batch = redis.CreateBatch();
        var failed = batch.HashGetAsync(keys.After(jobId), "failed");
        var results = parents.Select(parent => batch.StringGetAsync(keys.Result(parent))).ToList();
        batch.Execute();
        var kept = new List<JobResult>();
        for (var i = 0; i < parents.Count; i++)
        {
            var bytes = await results[i].ConfigureAwait(false);
            if (bytes.IsNull) continue;
            try
            {
                kept.Add(JobResult.From(parents[i], ResultMessage.Decode((byte[])bytes!)));
            }
            catch (ArqProtocolException)
            {
                // A result the worker cannot read is one the continuation cannot see either.
            }
        }
        return ((string?)await failed.ConfigureAwait(false), kept);
    }

    /// <summary>Writes the result (unless <paramref name="keepResult"/> is zero) and removes the job. Finishes that
    /// arrive while another is on its way to Redis go together in the next call. A <paramref name="cron"/> run's
    /// in-progress key is kept for 60 s rather than deleted, as arq does, so that no worker enqueues it again.</summary>
    public Task FinishAsync(string jobId, string queue, ResultMessage result, TimeSpan keepResult, bool cron = false, JobStreams? streams = null)
    {
        var keep = keepResult == Timeout.InfiniteTimeSpan || keepResult == TimeSpan.Zero
            ? keepResult
            : TimeSpan.FromMilliseconds(Math.Max(1, (long)keepResult.TotalMilliseconds));
        var kept = keep != TimeSpan.Zero;
        var dead = !result.Success && options.KeepFailed > 0; // a dead letter keeps the result the job failed with
        var finish = new PendingFinish(jobId, queue, keep, kept || dead ? result.Encode() : RedisValue.EmptyString, cron, result.Success,
            kept && streams is not null ? StreamsMessage.Encode(streams) : RedisValue.Null);
        finishes.Writer.TryWrite(finish);
        return finish.Done.Task;
    }

    /// <summary>Sends queued finishes, as many as have gathered, one transaction at a time, until stopped.</summary>
    public async Task SendFinishesAsync()
    {
        while (await finishes.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var batch = new List<PendingFinish>();
            while (batch.Count < MaxFinishBatch && finishes.Reader.TryRead(out var next)) batch.Add(next);
            Exception? error = null;
            try
            {
                await SendAsync(batch).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                error = e;
            }
            // The jobs go on (bookkeeping, hooks) on one pool thread for the whole batch, not one thread switch
            // each, while this loop sends the next batch.
            ThreadPool.UnsafeQueueUserWorkItem(static state =>
            {
                var (sent, failure) = state;
                foreach (var finish in sent)
                {
                    if (failure is null) finish.Done.TrySetResult();
                    else finish.Done.TrySetException(failure);
                }
            }, (batch, error), preferLocal: false);
        }
    }

    /// <summary>Results up to this size go through the finish script; larger ones are SET beside it (see
    /// <see cref="ArqScripts.Finish"/>).</summary>
    private const int InlineResultBytes = 1024;

    /// <summary>One finish script call for the batch's jobs of each queue (a queue's keys share a slot in a cluster);
    /// in a MULTI/EXEC with plain SETs when a result is large or a job wrote to its streams. Jobs with continuations
    /// come back from the script unfinished: their children are read and they finish again, with them.</summary>
    private async Task SendAsync(List<PendingFinish> batch)
    {
        foreach (var group in batch.GroupBy(finish => finish.Queue))
        {
            var queue = QueueKeys.For(group.Key, options.KeyLayout);
            var args = new FinishArguments(queue, batch.Count, Now, deadLetters);
            foreach (var finish in group) args.Add(finish.JobId, finish.Cron, finish.Success, finish.Keep, finish.Result, finish.SetBeside);
            var beside = group.Where(f => f.SetBeside || !f.Streams.IsNull).ToList();
            RedisResult left;
            if (beside.Count == 0)
            {
                left = await redis.ScriptEvaluateAsync(ArqScripts.Finish, args.Keys, args.Values).ConfigureAwait(false);
            }
            else
            {
                var transaction = redis.CreateTransaction();
                foreach (var finish in beside)
                {
                    var expiry = finish.Keep == Timeout.InfiniteTimeSpan ? Expiration.Default : new Expiration(finish.Keep);
                    if (finish.SetBeside) _ = transaction.StringSetAsync(queue.Result(finish.JobId), finish.Result, expiry);
                    if (!finish.Streams.IsNull) _ = transaction.StringSetAsync(queue.Streams(finish.JobId), finish.Streams, expiry);
                }
                var bookkeeping = transaction.ScriptEvaluateAsync(ArqScripts.Finish, args.Keys, args.Values);
                if (!await transaction.ExecuteAsync().ConfigureAwait(false))
                    throw new InvalidOperationException("Redis discarded the finish transaction.");
                left = await bookkeeping.ConfigureAwait(false);
            }
            await FinishParentsAsync(queue, group.ToList(), (string[])left!).ConfigureAwait(false);
        }
    }

    /// <summary>Finishes the jobs the finish script left because they have continuations: reads their children and
    /// finishes them again, given those, until none was added in between.</summary>
    private async Task FinishParentsAsync(QueueKeys queue, List<PendingFinish> group, string[] left)
    {
        while (left.Length > 0)
        {
            var parents = group.Where(finish => left.Contains(finish.JobId)).ToList();
            var reads = redis.CreateBatch();
            var children = parents.Select(finish => reads.HashGetAllAsync(queue.Children(finish.JobId))).ToList();
            reads.Execute();
            var args = new FinishArguments(queue, parents.Count, Now, deadLetters);
            for (var i = 0; i < parents.Count; i++)
            {
                var finish = parents[i];
                var theirs = (await children[i].ConfigureAwait(false)).Select(child => ((string)child.Name!, (string)child.Value!)).ToList();
                args.Add(finish.JobId, finish.Cron, finish.Success, finish.Keep, finish.Result, finish.SetBeside, theirs);
            }
            left = (string[])(await redis.ScriptEvaluateAsync(ArqScripts.Finish, args.Keys, args.Values).ConfigureAwait(false))!;
        }
    }

    /// <summary>Lets <see cref="SendFinishesAsync"/> end once the finishes already queued are sent.</summary>
    public void CompleteFinishes() => finishes.Writer.TryComplete();

    /// <summary>Leaves the job queued for another try, its score raised by <paramref name="scoreIncrement"/> ms.</summary>
    public Task RetryAsync(string jobId, string queue, long scoreIncrement)
    {
        var keys = QueueKeys.For(queue, options.KeyLayout);
        return redis.ScriptEvaluateAsync(ArqScripts.Retry, [keys.Queue, keys.InProgress(jobId)], [jobId, scoreIncrement]);
    }

    /// <summary>Extends the leases of running jobs, one PEXPIRE each, pipelined. A lease that lapsed meanwhile (Redis
    /// paused or out of reach for longer) is taken again for this worker if the job is still queued and nobody else
    /// took it, so that no other worker starts a job that runs here.</summary>
    public async Task RenewLeasesAsync(IEnumerable<(string JobId, string Queue)> jobs)
    {
        var running = jobs.Select(job => (job.JobId, Keys: QueueKeys.For(job.Queue, options.KeyLayout))).ToList();
        var batch = redis.CreateBatch();
        var renewals = running.Select(job => batch.KeyExpireAsync(job.Keys.InProgress(job.JobId), options.LeaseTime)).ToList();
        batch.Execute();
        var renewed = await Task.WhenAll(renewals).ConfigureAwait(false);
        for (var i = 0; i < running.Count; i++)
        {
            if (renewed[i]) continue;
            var (id, keys) = running[i];
            await redis.ScriptEvaluateAsync(ArqScripts.RetakeLease, [keys.Queue, keys.InProgress(id)], [id, leaseMs, options.WorkerId ?? "1"]).ConfigureAwait(false);
        }
    }

    /// <summary>arq's rule for a job enqueued with a higher try number: the retry key follows it.</summary>
    public Task SetTryAsync(string jobId, string queue, long @try) =>
        redis.StringSetAsync(QueueKeys.For(queue, options.KeyLayout).Retry(jobId), @try, TimeSpan.FromSeconds(ArqKeys.RetryKeySeconds));

    public async Task WriteHealthCheckAsync(WorkerSummary counts, int ongoing)
    {
        var stamp = options.Clock.GetLocalNow().ToString("MMM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var ttl = options.HealthCheckInterval + TimeSpan.FromSeconds(1);
        foreach (var queue in queues)
        {
            var queued = await redis.SortedSetLengthAsync(queue.Queue).ConfigureAwait(false);
            var line = $"{stamp} j_complete={counts.Complete} j_failed={counts.Failed} j_retried={counts.Retried} j_ongoing={ongoing} queued={queued}";
            await redis.StringSetAsync(queue.HealthCheck, line, ttl).ConfigureAwait(false);
        }
    }

    /// <summary>Publishes the cron jobs' next runs in <c>&lt;queue&gt;:cron</c> (an Arq addition arq ignores), for
    /// <see cref="JobQueue.GetCronJobsAsync"/>; it expires with the health check.</summary>
    public async Task WriteCronScheduleAsync(IEnumerable<(CronJob Job, DateTimeOffset? NextRun)> upcoming)
    {
        var key = queues[0].CronSchedule;
        var entries = upcoming.Select(u => new HashEntry(u.Job.Name, new CronJobInfo(u.Job.Name, u.Job.Schedule, u.Job.TimeZone.Id, u.NextRun).ToJson())).ToArray();
        var batch = redis.CreateBatch();
        var set = batch.HashSetAsync(key, entries);
        var expire = batch.KeyExpireAsync(key, options.HealthCheckInterval + TimeSpan.FromSeconds(1));
        batch.Execute();
        await Task.WhenAll(set, expire).ConfigureAwait(false);
    }

    public Task<bool> EnqueueCronRunAsync(CronJob cron, DateTimeOffset runAt, string queue) =>
        EnqueueRequest.Create(cronOptions, cron.Name, [], null, new EnqueueOptions { JobId = cron.JobId(runAt), DeferUntil = runAt, Queue = queue })
            .SendAsync(redis, options.KeyLayout);

    /// <summary>Arq clients publish on a channel named like the queue's key when they enqueue (see
    /// <see cref="QueueKeys.Wake"/>).</summary>
    public async Task<IAsyncDisposable> SubscribeAsync(IEnumerable<string> queues, Action onEnqueued, Action<string> onWatched)
    {
        var subscriber = connection.GetSubscriber();
        var channels = queues.Select(q => QueueKeys.For(q, options.KeyLayout).Wake).ToList();
        foreach (var channel in channels) await subscriber.SubscribeAsync(channel, (_, _) => onEnqueued()).ConfigureAwait(false);
        await subscriber.SubscribeAsync(ArqKeys.ProgressWatchChannel, (_, jobId) => { if (!jobId.IsNullOrEmpty) onWatched(jobId!); }).ConfigureAwait(false);
        return new Subscription(subscriber, [.. channels, ArqKeys.ProgressWatchChannel]);
    }

    public Task<long> PublishProgressAsync(string jobId, JobProgress progress) =>
        redis.PublishAsync(ArqKeys.ProgressChannel(jobId), ProgressMessage.Encode(progress));

    private sealed class Subscription(ISubscriber subscriber, List<RedisChannel> channels) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var channel in channels) await subscriber.UnsubscribeAsync(channel).ConfigureAwait(false);
        }
    }

    // One DEL each: in a cluster the queues' keys live on different shards.
    public Task DeleteHealthCheckAsync() => Task.WhenAll(queues.Select(q => redis.KeyDeleteAsync(q.HealthCheck)));

    public Task NameQueuesAsync() => redis.SetAddAsync(ArqKeys.Queues, [.. options.Queues.Select(q => (RedisValue)q)]);

    public async Task WriteWorkerRecordAsync(WorkerInfo record)
    {
        var batch = redis.CreateBatch();
        var set = batch.StringSetAsync(ArqKeys.Worker(record.Id), record.ToJson(), WorkerInfo.RecordInterval * 3);
        var add = batch.SetAddAsync(ArqKeys.Workers, record.Id);
        batch.Execute();
        await Task.WhenAll(set, add).ConfigureAwait(false);
    }

    public async Task DeleteWorkerRecordAsync(string workerId)
    {
        var batch = redis.CreateBatch();
        var delete = batch.KeyDeleteAsync(ArqKeys.Worker(workerId));
        var remove = batch.SetRemoveAsync(ArqKeys.Workers, workerId);
        batch.Execute();
        await Task.WhenAll(delete, remove).ConfigureAwait(false);
    }

    private sealed record PendingFinish(string JobId, string Queue, TimeSpan Keep, RedisValue Result, bool Cron, bool Success, RedisValue Streams)
    {
        /// <summary>A kept result too large to pass through the finish script: SET beside it.</summary>
        public bool SetBeside { get; } = Keep != TimeSpan.Zero && Result.Length() > InlineResultBytes;

        /// <summary>Completed for a whole batch on one pool thread, so its continuations run there.</summary>
        public TaskCompletionSource Done { get; } = new();
    }
}
