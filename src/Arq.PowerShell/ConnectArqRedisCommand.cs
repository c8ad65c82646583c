using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Connects to Redis and makes it the session's default for the Arq cmdlets.</para>
/// <para type="description">Connects now (so a wrong host or password shows at once, naming the endpoint, never the
/// password) and makes the connection the default of every Arq cmdlet in this session that is given no -Redis.
/// Without -Redis it uses ARQ_REDIS_URL, else localhost:6379. Connections are shared by the session's cmdlets and
/// closed when the module is removed.</para>
/// <example><code>Connect-ArqRedis 'redis://:secret@cache.example:6379/2'</code><para>Connects to database 2 of cache.example with a password; the session's Arq cmdlets use this connection from now on. The password never appears in errors or logs.</para></example>
/// <example><code>Connect-ArqRedis 'cache.example:6380,ssl=true,password=secret'</code><para>Connects over TLS with a StackExchange.Redis configuration string.</para></example>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "ArqRedis")]
[OutputType(typeof(ArqConnection))]
public sealed class ConnectArqRedisCommand : ArqCmdlet
{
    /// <summary><para type="description">A configuration string (host:port,password=…) or a redis:// or rediss:// URL.</para></summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public new string? Redis
    {
        get => base.Redis;
        set => base.Redis = value;
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var chosen = Redis ?? Environment.GetEnvironmentVariable(RedisConnector.EnvironmentVariable) ?? RedisConnector.DefaultConnectionString;
        var client = Await(ClientCache.GetAsync(chosen));
        ClientCache.SessionDefault = chosen;
        WriteObject(new ArqConnection(client.Endpoints, client.DatabaseNumber));
    }
}

/// <summary>The session's Redis connection, as Connect-ArqRedis reports it (never with a password).</summary>
/// <param name="Endpoint">The endpoints, as host:port.</param>
/// <param name="Database">The database number.</param>
public sealed record ArqConnection(string Endpoint, int Database);
