using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace Arq.PowerShell;

/// <summary>
/// One <see cref="ArqClient"/> per connection string, shared by every cmdlet of the process (a connection is
/// thread-safe and meant to be shared), and the connection each session chose with Connect-ArqRedis. Closed when
/// the module is removed.
/// </summary>
internal static class ClientCache
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<ArqClient>>> Clients = new(StringComparer.Ordinal);
    private static readonly ConditionalWeakTable<Runspace, string> SessionDefaults = new();

    /// <summary>The client for <paramref name="connectionString"/>; null means the session's Connect-ArqRedis
    /// connection, else ARQ_REDIS_URL, else localhost:6379.</summary>
    public static async Task<ArqClient> GetAsync(string? connectionString)
    {
        var key = connectionString ?? SessionDefault ?? "";
        var lazy = Clients.GetOrAdd(key, k => new Lazy<Task<ArqClient>>(() => ArqClient.ConnectSuitedAsync(k.Length == 0 ? null : k)));
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            // A failed connection is not kept: the next call tries again.
            Clients.TryRemove(new KeyValuePair<string, Lazy<Task<ArqClient>>>(key, lazy));
            throw;
        }
    }

    /// <summary>The connection string Connect-ArqRedis chose for the current session.</summary>
    public static string? SessionDefault
    {
        get => Runspace.DefaultRunspace is { } runspace && SessionDefaults.TryGetValue(runspace, out var value) ? value : null;
        set
        {
            if (Runspace.DefaultRunspace is not { } runspace) return;
            if (value is null) SessionDefaults.Remove(runspace);
            else SessionDefaults.AddOrUpdate(runspace, value);
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
