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
    private const int MaxFinishBatch = 256;
    private readonly int readLimit = Math.Max(options.MaxJobs * 5, 100);
    private readonly System.Threading.Channels.Channel<PendingFinish> finishes =
        System.Threading.Channels.Channel.CreateUnbounded<PendingFinish>(new() { SingleReader = true });

    public long Now => UnixTime.Now(options.Clock);

    /// <summary>Reads each queue's due ids, its size and the abort requests in one round trip; then, queue by queue in
    /// priority order while slots are free, claims those still due and not in progress in one script call, every key
    /// it touches passed to it (as Redis Cluster requires).</summary>
    public async Task<ClaimResult> ClaimAsync(int free, bool fetchAborts)
    {
        var now = Now;
        var reads = redis.CreateBatch();
        var due = Array.ConvertAll(queues, q => reads.SortedSetRangeByScoreWithScoresAsync(q.Queue, double.NegativeInfinity, now, take: readLimit));
        var sizes = Array.ConvertAll(queues, q => reads.SortedSetLengthAsync(q.Queue));
        var aborts = fetchAborts && options.AllowAbortJobs
            ? queues.Select(q => q.Abort).Distinct().Select(key => reads.SortedSetRangeByRankAsync(key)).ToArray()
            : [];
        reads.Execute();
        var jobs = new List<ClaimedJob>();
        for (var q = 0; q < queues.Length && free > 0; q++)
        {
            var candidates = Array.FindAll(await due[q].ConfigureAwait(false), entry => entry.Score != 0);
            if (candidates.Length == 0) continue;
            var claimed = ClaimedJob.Parse(await redis.ScriptEvaluateAsync(ArqScripts.Claim, ClaimKeys(queues[q], candidates),
            [
                now, free, leaseMs, options.AllowAbortJobs ? 1 : 0, options.MaxJobBytes, options.WorkerId ?? "1",
                .. candidates.Select(c => c.Element),
            ]).ConfigureAwait(false), candidates, queues[q].Name);
            jobs.AddRange(claimed);
            free -= claimed.Count;
        }
        var requested = new List<string>();
        foreach (var abort in aborts) requested.AddRange((await abort.ConfigureAwait(false)).Select(id => (string)id!));
        long queued = 0;
        foreach (var size in sizes) queued += await size.ConfigureAwait(false);
        return new ClaimResult(jobs, requested, queued);
    }

    private static RedisKey[] ClaimKeys(QueueKeys queue, SortedSetEntry[] candidates)
    {
        var keys = new RedisKey[2 + candidates.Length * 3];
        (keys[0], keys[1]) = (queue.Queue, queue.Abort);
        for (var c = 0; c < candidates.Length; c++)
        {
            var id = (string)candidates[c].Element!;
            (keys[2 + c * 3], keys[3 + c * 3], keys[4 + c * 3]) = (queue.InProgress(id), queue.Retry(id), queue.Job(id));
        }
        return keys;
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
        var finish = new PendingFinish(jobId, queue, keep, kept ? result.Encode() : RedisValue.EmptyString, cron, result.Success,
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
    /// in a MULTI/EXEC with plain SETs when a result is large or a job wrote to its streams.</summary>
    private async Task SendAsync(List<PendingFinish> batch)
    {
        foreach (var group in batch.GroupBy(finish => finish.Queue))
        {
            var queue = QueueKeys.For(group.Key, options.KeyLayout);
            var args = new FinishArguments(queue, batch.Count);
            foreach (var finish in group) args.Add(finish.JobId, finish.Cron, finish.Success, finish.Keep, finish.Result, finish.SetBeside);
            var beside = group.Where(f => f.SetBeside || !f.Streams.IsNull).ToList();
            if (beside.Count == 0)
            {
                await redis.ScriptEvaluateAsync(ArqScripts.Finish, args.Keys, args.Values).ConfigureAwait(false);
                continue;
            }
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
            await bookkeeping.ConfigureAwait(false);
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

    /// <summary>Extends the leases of running jobs, one PEXPIRE each, pipelined: only existing keys are extended, so a
    /// job that has just finished or been retried does not get its key back.</summary>
    public async Task RenewLeasesAsync(IEnumerable<(string JobId, string Queue)> jobs)
    {
        var batch = redis.CreateBatch();
        var renewals = jobs.Select(job => batch.KeyExpireAsync(QueueKeys.For(job.Queue, options.KeyLayout).InProgress(job.JobId), options.LeaseTime)).ToList();
        batch.Execute();
        await Task.WhenAll(renewals).ConfigureAwait(false);
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
