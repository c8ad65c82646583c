using StackExchange.Redis;

namespace Arq.Protocol;

/// <summary>Refuses arq's key layout on a Redis Cluster, where a job's keys would fall in different slots and the
/// first script would fail with CROSSSLOT: better a message that says what to set.</summary>
internal static class KeyLayoutCheck
{
    public static IConnectionMultiplexer Ensure(IConnectionMultiplexer redis, KeyLayout layout)
    {
        ArgumentNullException.ThrowIfNull(redis);
        if (layout == KeyLayout.Arq && redis.GetServers().Any(server => server.IsConnected && server.ServerType == ServerType.Cluster))
            throw new ArgumentException(
                $"Redis at {string.Join(", ", redis.GetEndPoints().Select(RedisConnector.Format))} is a Redis Cluster, where arq's key layout " +
                "cannot work (a job's keys would fall in different slots): set KeyLayout = KeyLayout.Cluster on the client and on every worker " +
                "of its queues (Connect-ArqRedis -Cluster, Start-ArqWorker -Cluster).", nameof(redis));
        return redis;
    }
}
