using System.Net;
using StackExchange.Redis;

namespace Arq;

/// <summary>
/// Turns what users write into a Redis connection: a StackExchange.Redis configuration string
/// (<c>host:port,password=…</c>, or <c>sentinel-host:26379,serviceName=mymaster</c> for Redis Sentinel), a
/// <c>redis://</c> or <c>rediss://</c> URL (<c>?ssl_ca_certs=ca.pem</c> trusts a private CA; several nodes of a cluster
/// as <c>redis://host1:6379,host2:6379</c>), or nothing, which means
/// <c>ARQ_REDIS_URL</c> and then <c>localhost:6379</c>. Errors name the endpoints, never the password.
/// </summary>
public static class RedisConnector
{
    /// <summary>The environment variable read when no connection string is given.</summary>
    public const string EnvironmentVariable = "ARQ_REDIS_URL";

    /// <summary>The connection used when neither a connection string nor the environment variable is set.</summary>
    public const string DefaultConnectionString = "localhost:6379";

    /// <summary>Parses a connection string or URL; null or empty falls back to the environment, then the default.</summary>
    /// <exception cref="ArgumentException">The text is not a valid configuration string or URL.</exception>
    public static ConfigurationOptions Parse(string? connectionString)
    {
        var source = "the connection string";
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);
            source = EnvironmentVariable;
            if (string.IsNullOrWhiteSpace(connectionString)) return ConfigurationOptions.Parse(DefaultConnectionString);
        }
        connectionString = connectionString.Trim();
        try
        {
            return connectionString.Contains("://", StringComparison.Ordinal)
                ? ParseUrl(connectionString)
                : ConfigurationOptions.Parse(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException or FormatException)
        {
            // The text itself may hold a password, so it is not repeated here.
            throw new ArgumentException($"{source} is not a valid Redis configuration string or redis:// URL: {e.Message}", nameof(connectionString), e);
        }
    }

    /// <summary>Connects, failing at once with an <see cref="ArqConnectionException"/> that names the endpoints.</summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(ConfigurationOptions options)
    {
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        }
        catch (RedisConnectionException e)
        {
            throw new ArqConnectionException(options, e);
        }
    }

    /// <summary>The endpoints of <paramref name="options"/> as text, for messages (no credentials).</summary>
    public static string DescribeEndpoints(ConfigurationOptions options) =>
        options.EndPoints.Count == 0 ? "(no endpoint)" : Describe(options.EndPoints);

    /// <summary>The endpoints a connection knows, as text, for messages (no credentials).</summary>
    internal static string DescribeEndpoints(IConnectionMultiplexer redis) => Describe(redis.GetEndPoints());

    private static string Describe(IEnumerable<EndPoint> endpoints) => string.Join(", ", endpoints.Select(Format));

    internal static string Format(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        IPEndPoint ip => ip.ToString(),
        _ => endPoint.ToString() ?? "?",
    };

    private static IEnumerable<(string Name, string Value)> QueryOptions(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var equals = pair.IndexOf('=');
            return equals < 0
                ? (Uri.UnescapeDataString(pair), "")
                : (Uri.UnescapeDataString(pair[..equals]), Uri.UnescapeDataString(pair[(equals + 1)..]));
        });

    /// <summary>redis://host1:6379,host2:6379/0 names several nodes (of a cluster, where any one leads to the rest,
    /// and more survive one being down): the URL with its first host, and the others as host[:port].</summary>
    private static (string Url, string[] Others) SplitHosts(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var end = url.IndexOfAny(['/', '?'], start);
        if (end < 0) end = url.Length;
        var hostsStart = url.LastIndexOf('@', end - 1, end - start) + 1;
        if (hostsStart == 0) hostsStart = start;
        var hosts = url[hostsStart..end].Split(',');
        return hosts.Length == 1 ? (url, []) : (url[..hostsStart] + hosts[0] + url[end..], hosts[1..]);
    }

    private static ConfigurationOptions ParseUrl(string url)
    {
        var (first, others) = SplitHosts(url);
        var uri = new Uri(first, UriKind.Absolute);
        var options = new ConfigurationOptions();
        options.Ssl = uri.Scheme switch
        {
            "redis" => false,
            "rediss" => true,
            _ => throw new ArgumentException($"the scheme '{uri.Scheme}' is not redis:// or rediss://."),
        };
        if (string.IsNullOrEmpty(uri.Host)) throw new ArgumentException("the URL names no host.");
        options.EndPoints.Add(uri.IdnHost, uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port);
        if (options.Ssl) options.SslHost = uri.IdnHost;
        foreach (var other in others)
        {
            if (!Uri.TryCreate($"{uri.Scheme}://{other}", UriKind.Absolute, out var node) || string.IsNullOrEmpty(node.Host))
                throw new ArgumentException($"'{other}' in the URL's host list is not host:port.");
            options.EndPoints.Add(node.IdnHost, node.IsDefaultPort || node.Port < 0 ? 6379 : node.Port);
        }

        // redis://[[username]:password@]host[:port][/db], as redis-py reads it.
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            var user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (user.Length > 0) options.User = user;
            if (colon >= 0) options.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            options.DefaultDatabase = int.TryParse(path, out var db) && db >= 0
                ? db
                : throw new ArgumentException($"the database '{path}' in the URL path is not a non-negative number.");
        }
        foreach (var (name, value) in QueryOptions(uri))
        {
            switch (name)
            {
                // redis-py's name: trust the certificate authority in this PEM file (a private CA, a self-signed server).
                case "ssl_ca_certs":
                    if (!File.Exists(value)) throw new ArgumentException($"the ssl_ca_certs file '{value}' does not exist.");
                    options.TrustIssuer(value);
                    break;
                default:
                    throw new ArgumentException($"the URL option '{name}' is not supported (only ssl_ca_certs is); use a configuration string for other settings.");
            }
        }
        return options;
    }
}
