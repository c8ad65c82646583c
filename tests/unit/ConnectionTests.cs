using System.Net;
using System.Net.Sockets;
using Arq.Protocol;

namespace Arq.Tests;

/// <summary>Connection strings, URLs, the environment fallback, and errors that never show a password.</summary>
public sealed class ConnectionTests : RedisTest
{
    [Fact]
    public async Task A_redis_url_with_a_database_number_connects_to_that_database()
    {
        await using var client = await ArqClient.ConnectAsync(Db.Url);

        var job = await client.EnqueueAsync("add", 1, 2);

        Assert.True(await Redis.KeyExistsAsync(ArqKeys.Job(job!.Id)));
    }

    [Fact]
    public async Task A_configuration_string_connects()
    {
        await using var client = await ArqClient.ConnectAsync(Db.ConnectionString);

        var job = await client.EnqueueAsync("add", 1, 2);

        Assert.Equal(JobStatus.Queued, await client.GetJob(job!.Id).GetStatusAsync());
    }

    [Fact]
    public void Urls_carry_user_password_database_and_tls()
    {
        var plain = RedisConnector.Parse("redis://:s%40cret@cache.example:6380/3");
        var tls = RedisConnector.Parse("rediss://alice:pw@cache.example");

        Assert.Equal("cache.example:6380", RedisConnector.DescribeEndpoints(plain));
        Assert.Equal("s@cret", plain.Password);
        Assert.Null(plain.User);
        Assert.Equal(3, plain.DefaultDatabase);
        Assert.False(plain.Ssl);
        Assert.True(tls.Ssl);
        Assert.Equal("alice", tls.User);
        Assert.Equal("cache.example:6379", RedisConnector.DescribeEndpoints(tls));
    }

    [Fact]
    public void A_url_may_name_several_nodes_of_a_cluster()
    {
        var nodes = RedisConnector.Parse("redis://:s%40cret@node-a:7000,node-b:7001,node-c/0");

        Assert.Equal("node-a:7000, node-b:7001, node-c:6379", RedisConnector.DescribeEndpoints(nodes));
        Assert.Equal("s@cret", nodes.Password);
        Assert.Equal(0, nodes.DefaultDatabase);
    }

    [Theory]
    [InlineData("redis://node-a:7000,:7001/0", "':7001' in the URL's host list is not host:port")]
    [InlineData("http://host:6379", "scheme 'http'")]
    [InlineData("redis://host/abc", "database 'abc'")]
    [InlineData("redis://host/1?timeout=3", "the URL option 'timeout' is not supported")]
    [InlineData("rediss://host/1?ssl_ca_certs=/no/such/ca.pem", "the ssl_ca_certs file '/no/such/ca.pem' does not exist")]
    public void A_bad_url_is_refused_with_the_reason(string url, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => RedisConnector.Parse(url));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Without_a_connection_string_the_default_is_localhost()
    {
        // ARQ_REDIS_URL is process-wide, so this test only reads it when the environment has none set.
        Assert.SkipWhen(Environment.GetEnvironmentVariable(RedisConnector.EnvironmentVariable) is not null, "ARQ_REDIS_URL is set");

        Assert.Equal("localhost:6379", RedisConnector.DescribeEndpoints(RedisConnector.Parse(null)));
    }

    [Fact]
    public async Task An_unreachable_server_is_named_and_the_password_is_not()
    {
        var port = ClosedPort();

        var error = await Assert.ThrowsAsync<ArqConnectionException>(() =>
            ArqClient.ConnectAsync($"127.0.0.1:{port},password=hunter2-secret,connectTimeout=2000"));

        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.DoesNotContain("hunter2-secret", error.ToString());
    }

    [Fact]
    public async Task A_wrong_password_is_reported_without_the_password()
    {
        using var guarded = RedisTestServer.StartPrivate("--requirepass", "the-right-one");
        Assert.SkipWhen(guarded is null, "no redis-server on PATH to start a password-protected server");

        var error = await Assert.ThrowsAsync<ArqConnectionException>(() =>
            ArqClient.ConnectAsync($"redis://:hunter2-secret@{guarded.Host}:{guarded.Port}"));
        await using var right = await ArqClient.ConnectAsync($"redis://:the-right-one@{guarded.Host}:{guarded.Port}");

        Assert.Contains($"{guarded.Host}:{guarded.Port}", error.Message);
        Assert.Contains("authentication", error.Message);
        Assert.DoesNotContain("hunter2-secret", error.ToString());
        Assert.NotNull(await right.EnqueueAsync("add", 1, 2));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
