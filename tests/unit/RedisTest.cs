using StackExchange.Redis;

namespace Arq.Tests;

/// <summary>A test with its own Redis database on the shared test server, and a client connected to it.</summary>
public abstract class RedisTest : IAsyncLifetime
{
    protected RedisTestDatabase Db { get; } = RedisTestServer.Shared.CreateDatabase();

    protected ConnectionMultiplexer Connection { get; private set; } = null!;

    protected IDatabase Redis => Connection.GetDatabase(Db.Number);

    protected ArqClient Client { get; private set; } = null!;

    public virtual async ValueTask InitializeAsync()
    {
        Connection = await ConnectionMultiplexer.ConnectAsync(Db.ConnectionString);
        Client = new ArqClient(Connection);
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        Db.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking it again after short pauses.</summary>
    protected static Task Until(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        Eventually.Until(condition, what, timeout);

    protected static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
