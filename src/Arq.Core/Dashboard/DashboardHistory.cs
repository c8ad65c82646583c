namespace Arq.Dashboard;

/// <summary>The dashboard's recent looks at its queues, one point per sample, for the charts.</summary>
internal sealed class DashboardHistory(int length)
{
    private readonly Queue<object> points = new();
    private Dictionary<string, QueueActivity> latest = [];

    public IReadOnlyDictionary<string, QueueActivity> Latest
    {
        get { lock (points) return latest; }
    }

    public object[] Points
    {
        get { lock (points) return points.ToArray(); }
    }

    public void Add(DateTimeOffset time, IReadOnlyList<QueueActivity> look)
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
            while (points.Count > length) points.Dequeue();
            latest = look.ToDictionary(q => q.Info.Name);
        }
    }
}
