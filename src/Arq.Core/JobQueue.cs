using System.Globalization;
using Arq.Protocol;
using StackExchange.Redis;

namespace Arq;

/// <summary>A handle on one queue: its counts, its jobs, and a way to empty it. Every call reads Redis afresh.</summary>
public sealed class JobQueue
{
    private const int InspectLimit = 10_000;
    private readonly ArqClient client;

    internal JobQueue(ArqClient client, string name)
    {
        this.client = client;
        Name = name;
    }

    /// <summary>The queue's name, the Redis key of its sorted set.</summary>
    public string Name { get; }

    /// <summary>Counts queued, deferred and running jobs, reads the workers' health check and the counts of completed
    /// and failed jobs, in one round trip.</summary>
    public async Task<QueueInfo> GetInfoAsync()
    {
        var now = UnixTime.Now(client.Options.Clock);
        var reply = (RedisResult[])(await client.Database.ScriptEvaluateAsync(ArqScripts.QueueInfo, [Name], [now, InspectLimit]).ConfigureAwait(false))!;
        var (total, due, running) = ((long)reply[0], (long)reply[1], (long)reply[2]);
        TimeSpan? oldest = reply[3].IsNull ? null : TimeSpan.FromMilliseconds(now - ParseScore(reply[3]));
        var counts = (RedisResult[])reply[5]!;
        return new QueueInfo(Name, due - running, total - due, running, oldest, WorkerHealth.Parse((string?)reply[4]),
            counts[0].IsNull ? 0 : (long)counts[0], counts[1].IsNull ? 0 : (long)counts[1]);
    }

    /// <summary>The first <paramref name="limit"/> jobs of the queue in score order, with status and definition.</summary>
    public async Task<IReadOnlyList<QueuedJob>> GetJobsAsync(int limit = InspectLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var now = UnixTime.Now(client.Options.Clock);
        var reply = (RedisResult[])(await client.Database.ScriptEvaluateAsync(ArqScripts.ListJobs, [Name], [limit]).ConfigureAwait(false))!;
        return reply.Select(item =>
        {
            var fields = (RedisResult[])item!;
            return Found((string)fields[0]!, fields[1], (long)fields[2] == 1, fields[3], RedisResult.Create(RedisValue.Null), now);
        }).ToList();
    }

    /// <summary>
    /// A page of one <paramref name="listing"/> of the queue's jobs, for queues of any length: each listing
    /// reads only its page. <see cref="JobListing.Queued"/> lists the due jobs in the order they run (those running
    /// among them have <see cref="JobStatus.InProgress"/>); <see cref="JobListing.InProgress"/> finds running jobs among
    /// the first 10,000 due ones; <see cref="JobListing.Complete"/> and <see cref="JobListing.Failed"/> list the latest
    /// <see cref="ArqKeys.CompletedKept"/> and <see cref="ArqKeys.FailuresKept"/> that Arq workers finished, newest
    /// first, with their results (a result no longer kept leaves only the id).
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
        var name = listing switch
        {
            JobListing.Queued => "queued", JobListing.Deferred => "deferred", JobListing.InProgress => "running",
            JobListing.Complete => "complete", JobListing.Failed => "failed",
            _ => throw new ArgumentOutOfRangeException(nameof(listing), listing, "Not a listing."),
        };
        var reply = (RedisResult[])(await client.Database.ScriptEvaluateAsync(ArqScripts.PageJobs,
            [Name, ArqKeys.Completed(Name), ArqKeys.Failures(Name)], [name, now, offset, count, InspectLimit]).ConfigureAwait(false))!;
        var jobs = reply.Skip(1).Select(item =>
        {
            var fields = (RedisResult[])item!;
            return Found((string)fields[0]!, fields[1], (long)fields[2] == 1, fields[3], fields[4], now);
        }).ToList();
        return new JobPage(listing, offset, (long)reply[0], jobs);
    }

    /// <summary>A job as a listing found it: its result when it has one, else its queued message and where it stands.</summary>
    private QueuedJob Found(string id, RedisResult score, bool inProgress, RedisResult jobBytes, RedisResult resultBytes, long now)
    {
        var job = client.GetJob(id, Name);
        DateTimeOffset? due = score.IsNull ? null : UnixTime.FromMilliseconds(ParseScore(score));
        var status = !resultBytes.IsNull ? JobStatus.Complete
            : inProgress ? JobStatus.InProgress
            : due is null ? JobStatus.NotFound
            : UnixTime.Milliseconds(due.Value) > now ? JobStatus.Deferred : JobStatus.Queued;
        try
        {
            return new QueuedJob(job, status, !resultBytes.IsNull
                ? JobResult.From(id, ResultMessage.Decode((byte[])resultBytes!)) with { DueTime = due }
                : jobBytes.IsNull ? null : JobDefinition.From(id, JobMessage.Decode((byte[])jobBytes!), due));
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
        var entries = await client.Database.HashGetAllAsync(ArqKeys.CronSchedule(Name)).ConfigureAwait(false);
        return entries.Select(e => CronJobInfo.FromJson((string)e.Value!)).OfType<CronJobInfo>().OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The latest jobs of this queue that failed for good on an Arq worker, newest first, with their errors
    /// (those whose results are still kept).</summary>
    public async Task<IReadOnlyList<JobResult>> GetRecentFailuresAsync(int limit = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var ids = await client.Database.ListRangeAsync(ArqKeys.Failures(Name), 0, limit - 1).ConfigureAwait(false);
        var results = await Task.WhenAll(ids.Select(id => client.GetJob((string)id!, Name).GetResultInfoAsync())).ConfigureAwait(false);
        return results.OfType<JobResult>().ToList();
    }

    /// <summary>Removes every job that is not running, with its keys; running jobs finish as usual.</summary>
    /// <returns>How many jobs were removed.</returns>
    public async Task<long> ClearAsync() =>
        (long)await client.Database.ScriptEvaluateAsync(ArqScripts.ClearQueue, [Name]).ConfigureAwait(false);

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static long ParseScore(RedisResult score) => UnixTime.FromScore((string)score!);
}
