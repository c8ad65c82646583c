using StackExchange.Redis;

namespace Arq.Protocol;

/// <summary>The keys that match a pattern (and, given one, a type the server filters by), found with SCAN: for views
/// and rare recoveries, never on a job's path.</summary>
internal static class KeyScan
{
    public static async Task<List<string>> ListAsync(IDatabase database, string pattern, string? type = null)
    {
        var keys = new List<string>();
        var cursor = "0";
        do
        {
            object[] arguments = type is null
                ? [cursor, "MATCH", pattern, "COUNT", 1000]
                : [cursor, "MATCH", pattern, "TYPE", type, "COUNT", 1000];
            var reply = (RedisResult[])(await database.ExecuteAsync("SCAN", arguments).ConfigureAwait(false))!;
            cursor = (string)reply[0]!;
            keys.AddRange(((RedisResult[])reply[1]!).Select(key => (string)key!));
        }
        while (cursor != "0");
        return keys;
    }
}
