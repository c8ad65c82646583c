using System.Diagnostics;
using Arq.Diagnostics;
using Arq.Protocol;
using Arq.Worker;
using MessagePack;
using StackExchange.Redis;

namespace Arq;

/// <summary>
/// Enqueues jobs and looks them up, by the protocol of Python arq 0.26 with its msgpack serializer, so that jobs
/// go to Arq and arq workers alike. Thread-safe; keep one for the life of the application.
/// </summary>
public sealed class ArqClient : IArqClient, IAsyncDisposable, IDisposable
{
    private readonly RedisJobStore store;
    private readonly IConnectionMultiplexer redis;
    private readonly bool ownsConnection;

    /// <summary>Uses an existing connection, which the caller keeps and disposes.</summary>
    public ArqClient(IConnectionMultiplexer redis, ArqClientOptions? options = null)
        : this(redis, ownsConnection: false, options) { }

    private ArqClient(IConnectionMultiplexer redis, bool ownsConnection, ArqClientOptions? options)
    {
        Options = options ?? new ArqClientOptions();
        this.redis = KeyLayoutCheck.Ensure(redis, Options.KeyLayout);
        this.ownsConnection = ownsConnection;
        Database = redis.GetDatabase();
        store = new RedisJobStore(Database, Options.Clock, Options.KeyLayout);
    }

    /// <summary>
    /// Connects to Redis: <paramref name="connectionString"/> is a StackExchange.Redis configuration string or a
    /// <c>redis://</c> / <c>rediss://</c> URL; when null, <c>ARQ_REDIS_URL</c>, else <c>localhost:6379</c>.
    /// </summary>
    /// <exception cref="ArqConnectionException">Redis cannot be reached; the message names host and port.</exception>
    public static async Task<ArqClient> ConnectAsync(string? connectionString = null, ArqClientOptions? options = null)
    {
        var redis = await RedisConnector.ConnectAsync(RedisConnector.Parse(connectionString)).ConfigureAwait(false);
        try
        {
            return new ArqClient(redis, ownsConnection: true, options);
        }
        catch
        {
            await redis.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public ArqClientOptions Options { get; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> registered = new(StringComparer.Ordinal);

    /// <summary>The Redis database the client uses.</summary>
    internal IDatabase Database { get; }

    /// <summary>The connection the client uses: give it to an <see cref="Worker.ArqWorker"/> in the same process to
    /// share it.</summary>
    public IConnectionMultiplexer Connection => Database.Multiplexer;

    /// <summary>The server endpoints as host:port, for messages (never with credentials).</summary>
    public string Endpoints => RedisConnector.DescribeEndpoints(redis);

    /// <summary>The number of the Redis database the client uses.</summary>
    public int DatabaseNumber => Database.Database;

    /// <inheritdoc/>
    public async Task<Job?> EnqueueAsync(string function, object?[]? args, IReadOnlyDictionary<string, object?>? kwargs,
        EnqueueOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = EnqueueRequest.Create(Options, function, args, kwargs, options ?? new EnqueueOptions());
        cancellationToken.ThrowIfCancellationRequested();
        return await SendAsync(request).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>The enqueues go to Redis pipelined, in one flush rather than one round trip each.</remarks>
    public async Task<IReadOnlyList<Job?>> EnqueueManyAsync(IEnumerable<JobRequest> jobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var requests = jobs.Select(job => EnqueueRequest.Create(Options, job)).ToList();
        cancellationToken.ThrowIfCancellationRequested();
        return await Task.WhenAll(requests.Select(SendAsync)).ConfigureAwait(false);
    }

    private async Task<Job?> SendAsync(EnqueueRequest request)
    {
        using var activity = ArqTelemetry.Source.StartActivity($"enqueue {request.Message.Function}", ActivityKind.Producer);
        activity?.SetTag(ArqTelemetry.JobIdTag, request.JobId).SetTag(ArqTelemetry.QueueTag, request.Queue).SetTag(ArqTelemetry.FunctionTag, request.Message.Function);
        // The job carries the caller's trace context (this span's, or an ambient one) to the span of its run.
        var sent = Activity.Current is { } current ? request with { Message = request.Message with { TraceParent = current.Id } } : request;
        if (!await store.EnqueueAsync(sent).ConfigureAwait(false)) return null;
        // Named once per queue and client in the set views read (no reply awaited): FindQueuesAsync needs no SCAN.
        if (registered.TryAdd(request.Queue, true)) Database.SetAdd(ArqKeys.Queues, request.Queue, CommandFlags.FireAndForget);
        ArqTelemetry.Enqueued.Add(1, ArqTelemetry.Tags(request.Queue, request.Message.Function));
        return request.ToJob(store, Options.Clock);
    }

    /// <summary>How often <see cref="WatchQueuesAsync"/> of every queue finds the queues again: every this many looks.</summary>
    public const int QueueRediscoveryLooks = 10;

    /// <summary>
    /// Looks at <paramref name="queues"/> now and then every <paramref name="interval"/>, each time with the rates of
    /// completed and failed jobs since the look before, until <paramref name="cancellationToken"/> is cancelled.
    /// Null watches every queue Redis holds (<see cref="FindQueuesAsync"/>), found again every
    /// <see cref="QueueRediscoveryLooks"/> looks, so that new queues appear.
    /// </summary>
    public IAsyncEnumerable<IReadOnlyList<QueueActivity>> WatchQueuesAsync(IReadOnlyList<string>? queues, TimeSpan interval,
        CancellationToken cancellationToken = default) =>
        WatchQueuesAsync(queues, interval, QueueRediscoveryLooks, cancellationToken);

    /// <summary>As <see cref="WatchQueuesAsync(IReadOnlyList{string}, TimeSpan, CancellationToken)"/>, finding the
    /// queues again every <paramref name="rediscoveryLooks"/> looks: the dashboard looks every second for as long as
    /// it runs, and finds them once a minute, since finding them scans the keyspace.</summary>
    internal async IAsyncEnumerable<IReadOnlyList<QueueActivity>> WatchQueuesAsync(IReadOnlyList<string>? queues, TimeSpan interval,
        int rediscoveryLooks, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromMilliseconds(10));
        using var timer = new PeriodicTimer(interval, Options.Clock);
        var previous = new Dictionary<string, QueueInfo>();
        var lastLook = Options.Clock.GetTimestamp();
        IReadOnlyList<string> watched = [];
        for (var look = 0L; ; look++)
        {
            if (queues is not null) watched = queues;
            else if (look % rediscoveryLooks == 0) watched = await FindQueuesOrDefaultAsync().ConfigureAwait(false);
            var infos = await Task.WhenAll(watched.Select(q => GetQueue(q).GetInfoAsync())).ConfigureAwait(false);
            var seconds = Math.Max(Options.Clock.GetElapsedTime(lastLook).TotalSeconds, 1e-3);
            lastLook = Options.Clock.GetTimestamp();
            yield return infos.Select(info => previous.TryGetValue(info.Name, out var before)
                ? new QueueActivity(info, (info.Complete - before.Complete) / seconds, (info.Failed - before.Failed) / seconds)
                : new QueueActivity(info, 0, 0)).ToList();
            foreach (var info in infos) previous[info.Name] = info;
            try
            {
                if (!await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false)) yield break;
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    /// <inheritdoc/>
    public Job GetJob(string jobId, string? queue = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        return new Job(store, Options.Clock, jobId, queue ?? Options.DefaultQueue);
    }

    /// <summary>A handle on the queue <paramref name="name"/> (default queue when null).</summary>
    public JobQueue GetQueue(string? name = null) => new(this, name ?? Options.DefaultQueue);

    /// <summary>The queues Redis holds now, sorted: those Arq clients have enqueued on and Arq workers serve (one set,
    /// <see cref="ArqKeys.Queues"/>), and, in arq's key layout, those Python arq made: names with jobs waiting, a
    /// worker's health check, or counters of completed and failed jobs, and no sorted set that holds no jobs, found by
    /// scanning the keyspace. In the cluster layout there is no scan.</summary>
    public Task<IReadOnlyList<string>> FindQueuesAsync() => QueueDiscovery.FindAsync(Database, Options.KeyLayout);

    /// <summary>The queues Redis holds, or the default queue when it holds none: what views show when no queue is named.</summary>
    internal async Task<IReadOnlyList<string>> FindQueuesOrDefaultAsync() =>
        (await FindQueuesAsync().ConfigureAwait(false)).DefaultIfEmpty(Options.DefaultQueue).ToList();

    /// <summary>The Arq workers running now, by their own records (<see cref="WorkerInfo"/>), sorted by host and
    /// process: one set and one read of every record, no scan. Python arq workers keep no record and are not listed;
    /// a record whose worker died lapses within three <see cref="WorkerInfo.RecordInterval"/>s.</summary>
    public async Task<IReadOnlyList<WorkerInfo>> GetWorkersAsync()
    {
        var ids = await Database.SetMembersAsync(ArqKeys.Workers).ConfigureAwait(false);
        if (ids.Length == 0) return [];
        // One GET each, pipelined: in a cluster the records live on different shards, where one MGET cannot reach.
        var records = await Task.WhenAll(ids.Select(id => Database.StringGetAsync(ArqKeys.Worker((string)id!)))).ConfigureAwait(false);
        var lapsed = ids.Where((_, i) => records[i].IsNull).ToArray();
        if (lapsed.Length > 0) await Database.SetRemoveAsync(ArqKeys.Workers, lapsed).ConfigureAwait(false);
        return records.Where(r => !r.IsNull).Select(r => WorkerInfo.FromJson((string)r!)).OfType<WorkerInfo>()
            .OrderBy(w => w.Host, StringComparer.OrdinalIgnoreCase).ThenBy(w => w.ProcessId).ThenBy(w => w.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>Connects as <see cref="ConnectAsync"/> does, in the cluster key layout on a Redis Cluster (the
    /// PowerShell module's clients, whose users name only a server).</summary>
    internal static async Task<ArqClient> ConnectSuitedAsync(string? connectionString)
    {
        var redis = await RedisConnector.ConnectAsync(RedisConnector.Parse(connectionString)).ConfigureAwait(false);
        return new ArqClient(redis, ownsConnection: true, new ArqClientOptions { KeyLayout = KeyLayoutCheck.Suited(redis, KeyLayout.Arq) });
    }

    /// <summary>Closes the connection if the client opened it.</summary>
    public void Dispose()
    {
        if (ownsConnection) redis.Dispose();
    }

    /// <summary>Closes the connection if the client opened it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (ownsConnection) await redis.DisposeAsync().ConfigureAwait(false);
    }
}
