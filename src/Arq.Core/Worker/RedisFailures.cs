using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Arq.Worker;

/// <summary>The failures of a Redis call that a worker rides out (Redis restarting, a network blip, a connection being
/// closed at shutdown): logged, then tried again on the next round, never the end of the worker.</summary>
internal static class RedisFailures
{
    public static bool IsTransient(Exception e) => e is RedisException or TimeoutException or ObjectDisposedException;

    /// <summary>Runs <paramref name="action"/>; a transient failure is logged as "Cannot <paramref name="what"/>".</summary>
    public static async Task TryAsync(this ILogger logger, string what, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception e) when (IsTransient(e))
        {
            logger.LogWarning("Cannot {What}: {Error}", what, e.Message);
        }
    }
}
