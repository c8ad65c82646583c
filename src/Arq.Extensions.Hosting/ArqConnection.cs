using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Arq.Hosting;

/// <summary>
/// The one Redis connection that the client, the worker and the health checks of a host share, opened on first use
/// and closed with the container. It does not fail when Redis is down at start: it keeps trying in the background,
/// the worker waits for it, and the health check says so.
/// </summary>
internal sealed class ArqConnection(IOptions<ArqOptions> options) : IAsyncDisposable
{
    private readonly Lazy<ConnectionMultiplexer> redis = new(() => Connect(options.Value));

    public IConnectionMultiplexer Redis => redis.Value;

    private static ConnectionMultiplexer Connect(ArqOptions options)
    {
        var configuration = RedisConnector.Parse(options.Redis);
        configuration.AbortOnConnectFail = false;
        return ConnectionMultiplexer.Connect(configuration);
    }

    public async ValueTask DisposeAsync()
    {
        if (redis.IsValueCreated) await redis.Value.DisposeAsync().ConfigureAwait(false);
    }
}
