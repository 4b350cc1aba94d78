using System.Net;
using MeshEdge.Config.Model;
using MeshEdge.Native.Stats;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Tests.Upstream;

/// <summary>
/// A worker's per-cluster state (counters, balancer) is made on its first use of the cluster, not
/// for each of the thousands of clusters a control plane sends: an idle cluster costs a worker an
/// empty slot. Made once, the same object stays through growth, so whoever holds it counts on.
/// </summary>
public sealed class LazyClusterStateTests
{
    private static ClusterRuntime Cluster(int id, string name) =>
        new(id, new ClusterConfig(name, ClusterType.Eds, LoadBalancerPolicy.RoundRobin, TimeSpan.FromSeconds(1), [new HostConfig(IPEndPoint.Parse("10.0.0.1:80"), 1)]), workerCount: 2);

    [Fact]
    public void Cluster_counters_exist_only_once_the_worker_counts_for_the_cluster()
    {
        var stats = new WorkerStats(0, 3);

        Assert.Equal(3, stats.Clusters.Length);
        Assert.All(Enumerable.Range(0, 3), id => Assert.Null(stats.Clusters.Find(id)));

        stats.Clusters[1].RequestsTotal++;
        var made = stats.Clusters.Find(1);
        stats.Grow(0, 10_000);

        Assert.NotNull(made);
        Assert.Same(made, stats.Clusters[1]);
        Assert.Equal(1, stats.Clusters[1].RequestsTotal);
        Assert.Null(stats.Clusters.Find(0));
        Assert.Null(stats.Clusters.Find(9_999));
        Assert.Null(stats.Clusters.Find(10_000));
    }

    [Fact]
    public void A_balancer_is_built_on_the_first_pick_and_stays_the_same_one()
    {
        var balancers = new ClusterBalancerTable(worker: 0);
        balancers.Grow(2);
        var first = Cluster(0, "a");
        var second = Cluster(1, "b");
        balancers.Know(first);
        balancers.Know(second);

        var picked = balancers[1];
        balancers.Grow(10_000);

        Assert.Same(second, picked.Cluster);
        Assert.Same(picked, balancers[1]);
        Assert.Same(first, balancers[0].Cluster);
        Assert.Equal("10.0.0.1:80", picked.Pick(0, 0)!.Name);
    }
}
