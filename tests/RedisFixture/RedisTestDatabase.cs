namespace Arq.Tests;

/// <summary>One test's own Redis database, flushed when leased; dispose it to give it back.</summary>
public sealed class RedisTestDatabase : IDisposable
{
    private readonly RedisTestServer server;
    private int disposed;

    internal RedisTestDatabase(RedisTestServer server, int number)
    {
        this.server = server;
        Number = number;
    }

    /// <summary>The database number.</summary>
    public int Number { get; }

    /// <summary>A StackExchange.Redis configuration string for this database.</summary>
    public string ConnectionString => $"{server.ConnectionString},defaultDatabase={Number}";

    /// <summary>The same database as a redis:// URL.</summary>
    public string Url => $"redis://{server.Host}:{server.Port}/{Number}";

    /// <summary>Empties the database.</summary>
    public void Flush() => RespLine.Send(server.Host, server.Port, [["SELECT", Number.ToString()], ["FLUSHDB"]]);

    /// <summary>Runs one command in this database and returns its reply as text (an array: its last element).</summary>
    public string Command(params string[] words) =>
        RespLine.Send(server.Host, server.Port, [["SELECT", Number.ToString()], words]);

    /// <summary>Reads a string key's value as bytes (empty when the key does not exist).</summary>
    public byte[] GetBytes(string key) =>
        RespLine.SendRaw(server.Host, server.Port, [["SELECT", Number.ToString()], ["GET", key]]);

    /// <summary>Stores bytes under a string key, as another client (Python arq, say) would.</summary>
    public void SetBytes(string key, byte[] value) =>
        RespLine.SendBinary(server.Host, server.Port,
            [[.. new[] { "SELECT", Number.ToString() }.Select(System.Text.Encoding.UTF8.GetBytes)], [System.Text.Encoding.UTF8.GetBytes("SET"), System.Text.Encoding.UTF8.GetBytes(key), value]]);

    /// <summary>Returns the database to the pool.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0) server.Release(Number);
    }

    /// <inheritdoc/>
    public override string ToString() => ConnectionString;
}
