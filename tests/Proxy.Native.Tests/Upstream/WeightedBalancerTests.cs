using MeshEdge.Native.Upstream;
using static MeshEdge.Native.Tests.Upstream.BalancerTestData;

namespace MeshEdge.Native.Tests.Upstream;

public sealed class WeightedBalancerTests
{
    [Fact]
    public void Round_robin_gives_each_weight_its_exact_share_every_cycle()
    {
        var balancer = new WeightedRoundRobinBalancer(Weighted(5, 1, 1), start: 0);
        var counts = Count(() => balancer.Pick(0, 0), 3, 700);
        Assert.Equal([500, 100, 100], counts);
    }

    [Fact]
    public void Round_robin_interleaves_rather_than_bursting()
    {
        var balancer = new WeightedRoundRobinBalancer(Weighted(5, 1, 1), start: 0);
        var sequence = Enumerable.Range(0, 7).Select(_ => balancer.Pick(0, 0)).ToArray();
        Assert.Equal([0, 0, 1, 0, 2, 0, 0], sequence);
    }

    [Fact]
    public void Equal_weights_are_plain_round_robin_and_workers_start_apart()
    {
        var first = new WeightedRoundRobinBalancer(Weighted(1, 1, 1), start: 0);
        var second = new WeightedRoundRobinBalancer(Weighted(1, 1, 1), start: 1);
        Assert.Equal([0, 1, 2, 0, 1, 2], Enumerable.Range(0, 6).Select(_ => first.Pick(0, 0)));
        Assert.NotEqual(0, second.Pick(0, 0));
    }

    [Fact]
    public void Random_honours_weights_within_three_percent()
    {
        var balancer = new RandomBalancer(Weighted(1, 2, 3), seed: 42);
        AssertShares(Count(() => balancer.Pick(0, 0), 3, 120_000), [1, 2, 3], 0.03);
    }

    [Fact]
    public void Least_request_spreads_evenly_when_requests_end_at_once()
    {
        var hosts = Hosts(4);
        var balancer = new LeastRequestBalancer(hosts, worker: 0, seed: 7);
        var counts = Count(() => { var host = balancer.Pick(0, 0); hosts[host].RequestStarted(0); hosts[host].RequestEnded(0); return host; }, 4, 80_000);
        AssertShares(counts, [1, 1, 1, 1], 0.03);
    }

    [Fact]
    public void Least_request_avoids_a_host_that_holds_many_requests()
    {
        var hosts = Hosts(3);
        var balancer = new LeastRequestBalancer(hosts, worker: 0, seed: 3);
        // Host 0 is slow: its requests never end. The others finish at once.
        var counts = new int[3];
        for (var i = 0; i < 3000; i++)
        {
            var host = balancer.Pick(0, 0);
            counts[host]++;
            hosts[host].RequestStarted(0);
            if (host != 0)
            {
                hosts[host].RequestEnded(0);
            }
        }

        Assert.True(counts[0] < 100, $"slow host got {counts[0]} of 3000");
        Assert.Equal(counts[0], hosts[0].ActiveRequests);
    }

    [Fact]
    public void Least_request_weighs_active_requests_by_host_weight()
    {
        // With every request held open, picks settle where active/weight is level: 1 : 3.
        var hosts = Weighted(1, 3);
        var balancer = new LeastRequestBalancer(hosts, worker: 0, seed: 11);
        var counts = Count(() => { var host = balancer.Pick(0, 0); hosts[host].RequestStarted(0); return host; }, 2, 4000);
        AssertShares(counts, [1, 3], 0.05);
    }
}
