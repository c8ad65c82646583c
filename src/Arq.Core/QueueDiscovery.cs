using Arq.Protocol;
using StackExchange.Redis;

namespace Arq;

/// <summary>
/// Finds the queues a Redis database holds. A queue is a sorted set, but not every sorted set is a queue, and a queue
/// with nothing waiting has no sorted set at all. So a queue is a name with a worker's health check
/// (<c>name:health-check</c>, written by every arq worker) or Arq's own keys (<c>:stats</c>, <c>:failures</c>,
/// <c>:cron</c>, <c>:dead</c>), or a sorted set whose first member is a job (it has a job, in-progress or result key). Each kind
/// is one SCAN that the server filters by type: for views and completion, never on a job's path. Arq's own clients
/// and workers name their queues in <see cref="ArqKeys.Queues"/>, the only place looked in the cluster layout.
/// </summary>
internal static class QueueDiscovery
{
    private static readonly (string Suffix, string Type)[] QueueKeys =
    [
        (ArqKeys.HealthCheckSuffix, "string"), (ArqKeys.StatsSuffix, "hash"), (ArqKeys.FailuresSuffix, "list"), (ArqKeys.CronScheduleSuffix, "hash"),
        (ArqKeys.DeadLettersSuffix, "hash"),
    ];

    /// <summary>Arq's own sorted sets of a queue, which hold job ids (or ids and tries) but are no queues: dead letters'
    /// times, waiting continuations, and rate limits' windows.</summary>
    private static bool IsArqsOwn(string key) =>
        key == ArqKeys.Abort || key.EndsWith(ArqKeys.DeadLetterTimesSuffix, StringComparison.Ordinal)
        || key.EndsWith(ArqKeys.WaitingSuffix, StringComparison.Ordinal)
        || key.EndsWith(ArqKeys.RateSuffix, StringComparison.Ordinal) || key.Contains(ArqKeys.RateSuffix + ":", StringComparison.Ordinal);

    public static async Task<IReadOnlyList<string>> FindAsync(IDatabase database, KeyLayout layout)
    {
        var queues = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in await database.SetMembersAsync(ArqKeys.Queues).ConfigureAwait(false)) queues.Add((string)name!);
        if (layout == KeyLayout.Cluster) return [.. queues]; // only Arq makes cluster queues, and it names every one

        foreach (var (suffix, type) in QueueKeys)
            foreach (var key in await KeyScan.ListAsync(database, "*" + suffix, type).ConfigureAwait(false))
                queues.Add(key[..^suffix.Length]);
        var sortedSets = (await KeyScan.ListAsync(database, "*", "zset").ConfigureAwait(false)).Where(key => !IsArqsOwn(key) && !queues.Contains(key)).ToList();
        var holdJobs = await Task.WhenAll(sortedSets.Select(key => HoldsJobsAsync(database, key))).ConfigureAwait(false);
        queues.UnionWith(sortedSets.Where((_, i) => holdJobs[i]));
        return [.. queues];
    }

    private static async Task<bool> HoldsJobsAsync(IDatabase database, string key)
    {
        var first = await database.SortedSetRangeByRankAsync(key, 0, 0).ConfigureAwait(false);
        if (first.Length == 0) return false;
        var id = (string)first[0]!;
        return await database.KeyExistsAsync([ArqKeys.Job(id), ArqKeys.InProgress(id), ArqKeys.Result(id)]).ConfigureAwait(false) > 0;
    }
}
