using StackExchange.Redis;

namespace Arq.Protocol;

/// <summary>The keys that match a pattern (and, given one, a type the server filters by), found with SCAN: for rare
/// recoveries and the discovery of queues Python arq made, never on a job's path nor in a cluster's views.</summary>
internal static class KeyScan
{
    /// <summary>Scans the primary that holds <paramref name="slotOf"/>'s slot (in a cluster, where a queue's keys share
    /// its slot), or every primary when it is null.</summary>
    public static async Task<List<string>> ListAsync(IDatabase database, string pattern, string? type = null, RedisKey? slotOf = null)
    {
        var connection = database.Multiplexer;
        IEnumerable<IServer> servers = slotOf is { } key && await database.IdentifyEndpointAsync(key).ConfigureAwait(false) is { } endpoint
            ? [connection.GetServer(endpoint)]
            : connection.GetServers().Where(server => server.IsConnected && !server.IsReplica);
        var keys = new List<string>();
        foreach (var server in servers)
        {
            var cursor = "0";
            do
            {
                object[] arguments = type is null
                    ? [cursor, "MATCH", pattern, "COUNT", 1000]
                    : [cursor, "MATCH", pattern, "TYPE", type, "COUNT", 1000];
                var reply = (RedisResult[])(await server.ExecuteAsync(database.Database, "SCAN", arguments, CommandFlags.None).ConfigureAwait(false))!;
                cursor = (string)reply[0]!;
                keys.AddRange(((RedisResult[])reply[1]!).Select(found => (string)found!));
            }
            while (cursor != "0");
        }
        return keys;
    }
}
