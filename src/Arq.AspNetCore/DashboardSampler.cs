namespace Arq.Dashboard;

/// <summary>
/// The dashboard's looks at its queues, one every <see cref="ArqDashboardOptions.SampleInterval"/>, for the charts
/// and for the queue counts every page shows: a request reads what the last look saw, so that no request adds a read
/// of every queue (or a SCAN to find them). Starts with the first request and stops with the application.
/// </summary>
internal sealed class DashboardSampler
{
    private readonly ArqClient client;
    private readonly ArqDashboardOptions options;
    private readonly Queue<object> points = new();
    private readonly Lazy<Task> sampling;
    private Dictionary<string, QueueActivity> latest = [];

    /// <summary>How often the queues are found again, in looks: once a minute at the default interval, since finding
    /// them scans the keyspace (a million keys are a thousand SCAN calls).</summary>
    internal const int RediscoveryLooks = 60;

    public DashboardSampler(ArqClient client, ArqDashboardOptions options, CancellationToken stopping)
    {
        this.client = client;
        this.options = options;
        sampling = new(() => Task.Run(() => SampleAsync(stopping), CancellationToken.None));
    }

    /// <summary>The queues as the last look saw them; read afresh only before the first look.</summary>
    public async Task<IReadOnlyList<QueueActivity>> CurrentAsync()
    {
        _ = sampling.Value;
        lock (points)
            if (latest.Count > 0) return latest.Values.ToList();
        var names = options.Queues ?? await client.FindQueuesOrDefaultAsync().ConfigureAwait(false);
        var infos = await Task.WhenAll(names.Select(q => client.GetQueue(q).GetInfoAsync())).ConfigureAwait(false);
        return infos.Select(info => new QueueActivity(info, 0, 0)).ToList();
    }

    /// <summary>The points for the charts, oldest first.</summary>
    public object[] Points
    {
        get
        {
            _ = sampling.Value;
            lock (points) return points.ToArray();
        }
    }

    private void Add(DateTimeOffset time, IReadOnlyList<QueueActivity> look)
    {
        var point = new
        {
            time,
            queues = look.ToDictionary(q => q.Info.Name, q => new
            {
                q.Info.Queued, q.Info.Deferred, q.Info.InProgress, q.CompletePerSecond, q.FailedPerSecond,
            }),
        };
        lock (points)
        {
            points.Enqueue(point);
            while (points.Count > options.HistoryLength) points.Dequeue();
            latest = look.ToDictionary(q => q.Info.Name);
        }
    }

    private async Task SampleAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await foreach (var look in client.WatchQueuesAsync(options.Queues, options.SampleInterval, RediscoveryLooks, stopping).ConfigureAwait(false))
                    Add(client.Options.Clock.GetUtcNow(), look);
                return;
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                // Redis went away: the pages show the last look and the API calls report the error. Look again after
                // an interval (finding the queues afresh), so that the counts move again once Redis is back.
            }
            try
            {
                await Task.Delay(options.SampleInterval, client.Options.Clock, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
