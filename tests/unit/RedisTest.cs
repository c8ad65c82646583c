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
    protected static async Task Until(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (cancel.IsCancellationRequested) throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(5, CancellationToken.None);
        }
    }

    protected static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
