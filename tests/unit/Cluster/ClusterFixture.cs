namespace Arq.Tests.Cluster;

/// <summary>One real six-node Redis Cluster for the cluster tests of this process (started once: creating a cluster
/// takes a few seconds).</summary>
public sealed class ClusterFixture : IDisposable
{
    public RedisTestCluster? Cluster { get; } = RedisTestCluster.Start();

    public void Dispose() => Cluster?.Dispose();
}
