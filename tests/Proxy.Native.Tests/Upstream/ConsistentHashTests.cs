using System.Collections.Immutable;
using MeshEdge.Native.Upstream;
using static MeshEdge.Native.Tests.Upstream.BalancerTestData;

namespace MeshEdge.Native.Tests.Upstream;

public sealed class ConsistentHashTests
{
    public static TheoryData<string> Policies => new() { "ring", "maglev" };

    private static ILoadBalancer Build(string policy, ImmutableArray<UpstreamHost> hosts) =>
        policy == "ring" ? new HashRing(hosts) : new MaglevTable(hosts);

    [Theory]
    [MemberData(nameof(Policies))]
    public void The_same_key_always_reaches_the_same_host(string policy)
    {
        var balancer = Build(policy, Hosts(5));
        foreach (var key in Keys(1000))
        {
            Assert.Equal(balancer.Pick(key, 0), balancer.Pick(key, 0));
        }
    }

    [Theory]
    [InlineData("ring", 0.15)]
    [InlineData("maglev", 0.03)]
    public void Keys_spread_over_hosts_by_weight(string policy, double tolerance)
    {
        int[] weights = [1, 1, 2, 1, 1];
        var balancer = Build(policy, Weighted(weights));
        var counts = new int[5];
        foreach (var key in Keys(60_000))
        {
            counts[balancer.Pick(key, 0)]++;
        }

        AssertShares(counts, weights, tolerance);
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Removing_one_host_of_n_moves_about_one_nth_of_the_keys(string policy)
    {
        const int HostCount = 5;
        var all = Hosts(HostCount);
        var before = Build(policy, all);
        var remaining = all.RemoveAt(2);
        var after = Build(policy, remaining);
        var keys = Keys(20_000).ToArray();
        var moved = 0;
        var movedWithoutCause = 0;
        foreach (var key in keys)
        {
            var oldHost = all[before.Pick(key, 0)];
            var newHost = remaining[after.Pick(key, 0)];
            if (!oldHost.Equals(newHost))
            {
                moved++;
                if (!oldHost.Equals(all[2]))
                {
                    movedWithoutCause++;
                }
            }
        }

        var fraction = (double)moved / keys.Length;
        Assert.InRange(fraction, 0.15, 0.28);
        // Keys of the hosts that stayed barely move (Maglev allows a little churn, a ring none).
        Assert.True(movedWithoutCause <= keys.Length * 0.05, $"{movedWithoutCause} keys moved between hosts that stayed");
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void A_retry_moves_to_another_host(string policy)
    {
        var balancer = Build(policy, Hosts(4));
        var different = Keys(1000).Count(key => balancer.Pick(key, 1) != balancer.Pick(key, 0));
        Assert.True(different >= 700, $"only {different} of 1000 retries changed host");
    }
}
