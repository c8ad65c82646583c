using System.Diagnostics;

namespace Arq.Tests;

/// <summary>
/// A real Redis Cluster of six redis-server processes (three primaries, a replica each) on free loopback ports, made
/// as an operator makes one: each server started with <c>--cluster-enabled yes</c>, then
/// <c>redis-cli --cluster create ... --cluster-replicas 1</c>. Both come with the Debian package the tests install.
/// Dispose it to stop every node.
/// </summary>
public sealed class RedisTestCluster : IDisposable
{
    private readonly List<RedisTestServer> nodes;

    private RedisTestCluster(List<RedisTestServer> nodes) => this.nodes = nodes;

    /// <summary>The nodes in the order they were started.</summary>
    public IReadOnlyList<RedisTestServer> Nodes => nodes;

    /// <summary>Every node as a StackExchange.Redis configuration string; any one of them is enough to connect.</summary>
    public string ConnectionString => string.Join(",", nodes.Select(node => node.ConnectionString));

    /// <summary>Starts the six nodes and creates the cluster; null when redis-server or redis-cli is not on PATH.</summary>
    public static RedisTestCluster? Start()
    {
        var cli = RedisTestServer.FindOnPath(OperatingSystem.IsWindows() ? "redis-cli.exe" : "redis-cli");
        if (cli is null) return null;
        var nodes = new List<RedisTestServer>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                // The cluster bus listens on a port of its own: a free one named here, since the default (port +
                // 10000) may be taken or past 65535.
                var node = RedisTestServer.StartPrivate("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "2000", "--cluster-port", RedisTestServer.FreePort().ToString(), "--appendonly", "no");
                if (node is null) return null;
                nodes.Add(node);
            }
            var cluster = new RedisTestCluster(nodes);
            cluster.Create(cli);
            return cluster;
        }
        catch
        {
            foreach (var node in nodes) node.Dispose();
            throw;
        }
    }

    private void Create(string cli)
    {
        var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--cluster", "create" }.Concat(nodes.Select(n => n.ConnectionString)).Concat(["--cluster-replicas", "1", "--cluster-yes"]))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000) || process.ExitCode != 0)
            throw new InvalidOperationException($"redis-cli --cluster create failed: {output.Result}{errors.Result}");
        // Every node must agree that all slots are served before a client's first command.
        Eventually.Until(() => nodes.All(node => node.Command("CLUSTER", "INFO").Contains("cluster_state:ok", StringComparison.Ordinal)),
            "the cluster is ready on every node", TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
    }

    /// <summary>The nodes that are primaries now, by their own word.</summary>
    public IReadOnlyList<RedisTestServer> Primaries => nodes.Where(node => IsPrimary(node)).ToList();

    private static bool IsPrimary(RedisTestServer node)
    {
        try
        {
            return node.Command("INFO", "replication").Contains("role:master", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or InvalidOperationException)
        {
            return false; // stopped
        }
    }

    /// <summary>Stops every node.</summary>
    public void Dispose()
    {
        foreach (var node in nodes) node.Dispose();
    }
}
