using System.Collections.Concurrent;

namespace Arq.PowerShell;

/// <summary>
/// One <see cref="ArqClient"/> per connection string for the session, so that a pipeline of cmdlets shares one
/// connection. Closed when the module is removed.
/// </summary>
internal static class ClientCache
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<ArqClient>>> Clients = new(StringComparer.Ordinal);

    /// <summary>The client for <paramref name="connectionString"/> (null: ARQ_REDIS_URL, then localhost:6379).</summary>
    public static ArqClient Get(string? connectionString)
    {
        var key = connectionString ?? "";
        var lazy = Clients.GetOrAdd(key, k => new Lazy<Task<ArqClient>>(() => ArqClient.ConnectAsync(k.Length == 0 ? null : k)));
        try
        {
            return lazy.Value.GetAwaiter().GetResult();
        }
        catch
        {
            // Do not cache a failed connection: the next call tries again.
            Clients.TryRemove(new KeyValuePair<string, Lazy<Task<ArqClient>>>(key, lazy));
            throw;
        }
    }

    /// <summary>Closes every connection.</summary>
    public static void Clear()
    {
        foreach (var lazy in Clients.Values)
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully) lazy.Value.Result.Dispose();
        Clients.Clear();
    }
}
