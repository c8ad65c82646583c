using StackExchange.Redis;

namespace Arq.Protocol;

/// <summary>Arq's key layout cannot work on a Redis Cluster, where a job's keys would fall in different slots and the
/// first script would fail with CROSSSLOT. The .NET API refuses it with a message that says what to set; the
/// PowerShell module, whose users name only a server, takes the cluster layout there by itself.</summary>
internal static class KeyLayoutCheck
{
    private static bool IsCluster(IConnectionMultiplexer redis) =>
        redis.GetServers().Any(server => server.IsConnected && server.ServerType == ServerType.Cluster);

    /// <summary>The cluster layout on a cluster, else <paramref name="requested"/>.</summary>
    public static KeyLayout Suited(IConnectionMultiplexer redis, KeyLayout requested) =>
        requested == KeyLayout.Arq && IsCluster(redis) ? KeyLayout.Cluster : requested;

    public static IConnectionMultiplexer Ensure(IConnectionMultiplexer redis, KeyLayout layout)
    {
        ArgumentNullException.ThrowIfNull(redis);
        if (layout == KeyLayout.Arq && IsCluster(redis))
            throw new ArgumentException(
                $"Redis at {RedisConnector.DescribeEndpoints(redis)} is a Redis Cluster, where arq's key layout " +
                "cannot work (a job's keys would fall in different slots): set KeyLayout = KeyLayout.Cluster on the client and on every worker " +
                "of its queues (the PowerShell cmdlets do so by themselves).", nameof(redis));
        return redis;
    }
}
