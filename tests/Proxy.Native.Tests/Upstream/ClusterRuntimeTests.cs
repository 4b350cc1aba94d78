using System.Collections.Immutable;
using System.Net;
using MeshEdge.Config.Model;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Tests.Upstream;

public sealed class ClusterRuntimeTests
{
    private static HostConfig HostAt(string address, int weight = 1, int priority = 0) => new(IPEndPoint.Parse(address), weight) { Priority = priority };

    private static ClusterRuntime Cluster(LoadBalancerPolicy policy, params HostConfig[] hosts) =>
        new(0, new ClusterConfig("web", ClusterType.Eds, policy, TimeSpan.FromSeconds(1), [.. hosts]), workerCount: 1);

    [Fact]
    public void An_update_keeps_the_hosts_that_stay_and_marks_the_removed_ones()
    {
        var cluster = Cluster(LoadBalancerPolicy.RoundRobin, HostAt("10.0.0.1:80"), HostAt("10.0.0.2:80"));
        var kept = cluster.Hosts[0];
        var removed = cluster.Hosts[1];
        kept.SetEjected(true);

        Assert.True(cluster.UpdateHosts([HostAt("10.0.0.1:80"), HostAt("10.0.0.3:80")]));

        Assert.Same(kept, cluster.Hosts[0]);
        Assert.True(kept.IsEjected);
        Assert.True(removed.IsRemoved);
        Assert.Equal("10.0.0.3:80", cluster.Hosts[1].Name);
        Assert.Equal(1, cluster.Snapshot.Set.Version);
        Assert.False(cluster.UpdateHosts([HostAt("10.0.0.3:80"), HostAt("10.0.0.1:80")]));
    }

    [Fact]
    public void A_changed_weight_makes_a_new_host_and_duplicates_keep_their_first_entry()
    {
        var cluster = Cluster(LoadBalancerPolicy.RoundRobin, HostAt("10.0.0.1:80"));
        var before = cluster.Hosts[0];
        cluster.UpdateHosts([HostAt("10.0.0.1:80", weight: 3), HostAt("10.0.0.1:80", weight: 5)]);
        Assert.NotSame(before, cluster.Hosts[0]);
        Assert.Equal(3, Assert.Single(cluster.Hosts).Weight);
    }

    [Fact]
    public void The_balancer_follows_updates_and_health_without_being_rebuilt_by_hand()
    {
        var cluster = Cluster(LoadBalancerPolicy.RoundRobin, HostAt("10.0.0.1:80"), HostAt("10.0.0.2:80"));
        var balancer = new ClusterBalancer(cluster, worker: 0);
        var picked = Enumerable.Range(0, 10).Select(_ => balancer.Pick(0, 0)!.Name).Distinct().Order().ToArray();
        Assert.Equal(["10.0.0.1:80", "10.0.0.2:80"], picked);

        cluster.Hosts[0].SetFailsChecks(true);
        cluster.HealthChanged();
        Assert.All(Enumerable.Range(0, 10), _ => Assert.Equal("10.0.0.2:80", balancer.Pick(0, 0)!.Name));

        cluster.UpdateHosts([HostAt("10.0.0.9:80")]);
        Assert.Equal("10.0.0.9:80", balancer.Pick(0, 0)!.Name);

        cluster.UpdateHosts([]);
        Assert.Null(balancer.Pick(0, 0));
    }

    [Fact]
    public void Priority_one_takes_traffic_only_when_priority_zero_fails()
    {
        var cluster = Cluster(LoadBalancerPolicy.LeastRequest, HostAt("10.0.0.1:80"), HostAt("10.0.1.1:80", priority: 1));
        var balancer = new ClusterBalancer(cluster, worker: 0);
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(0, balancer.Pick(0, 0)!.Priority));

        cluster.Hosts[0].SetEjected(true);
        cluster.HealthChanged();
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(1, balancer.Pick(0, 0)!.Priority));
    }

    [Theory]
    [InlineData(LoadBalancerPolicy.RoundRobin)]
    [InlineData(LoadBalancerPolicy.Random)]
    [InlineData(LoadBalancerPolicy.RingHash)]
    [InlineData(LoadBalancerPolicy.Maglev)]
    public void A_retry_avoids_the_host_that_failed(LoadBalancerPolicy policy)
    {
        var cluster = Cluster(policy, HostAt("10.0.0.1:80"), HostAt("10.0.0.2:80"), HostAt("10.0.0.3:80"));
        var balancer = new ClusterBalancer(cluster, worker: 0);
        for (ulong key = 0; key < 200; key++)
        {
            var first = balancer.Pick(key * 7919, 0)!;
            Assert.NotSame(first, balancer.Pick(key * 7919, 1, avoid: first));
        }
    }

    [Theory]
    [InlineData(LoadBalancerPolicy.RingHash)]
    [InlineData(LoadBalancerPolicy.Maglev)]
    public void Consistent_hashing_passes_over_an_unhealthy_owner_and_returns_to_it(LoadBalancerPolicy policy)
    {
        var cluster = Cluster(policy, HostAt("10.0.0.1:80"), HostAt("10.0.0.2:80"), HostAt("10.0.0.3:80"));
        var balancer = new ClusterBalancer(cluster, worker: 0);
        var owners = Enumerable.Range(0, 300).Select(k => balancer.Pick((ulong)k * 104729, 0)!).ToArray();
        var sick = cluster.Hosts[1];
        sick.SetFailsChecks(true);
        cluster.HealthChanged();
        for (var k = 0; k < owners.Length; k++)
        {
            var now = balancer.Pick((ulong)k * 104729, 0)!;
            Assert.NotSame(sick, now);
            if (!ReferenceEquals(owners[k], sick))
            {
                Assert.Same(owners[k], now); // keys of healthy owners stay put
            }
        }

        sick.SetFailsChecks(false);
        cluster.HealthChanged();
        Assert.Equal(owners, Enumerable.Range(0, 300).Select(k => balancer.Pick((ulong)k * 104729, 0)!));
    }
}
