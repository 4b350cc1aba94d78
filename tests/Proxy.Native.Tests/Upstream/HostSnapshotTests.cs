using MeshEdge.Config.Model;
using MeshEdge.Native.Upstream;
using static MeshEdge.Native.Tests.Upstream.BalancerTestData;

namespace MeshEdge.Native.Tests.Upstream;

public sealed class HostSnapshotTests
{
    private static HostSnapshot Snapshot(params UpstreamHost[] hosts) =>
        new(new HostSet([.. hosts], LoadBalancerPolicy.RoundRobin, 1));

    private static UpstreamHost Down(UpstreamHost host)
    {
        host.SetFailsChecks(true);
        return host;
    }

    [Fact]
    public void Healthy_hosts_are_routable_and_one_level_takes_all_the_load()
    {
        var a = Host("10.0.0.1:80");
        var b = Down(Host("10.0.0.2:80"));
        var snapshot = Snapshot(a, b, Host("10.0.0.3:80"));
        Assert.Equal([a, snapshot.Set.Hosts[2]], snapshot.Routable[0].ToArray());
        Assert.Equal([100], snapshot.CumulativeLoad.ToArray());
        Assert.False(snapshot.Panic[0]);
        Assert.Equal(2, snapshot.HealthyCount);
    }

    [Fact]
    public void Half_healthy_still_steers_below_half_panics_over_all_hosts()
    {
        var half = Snapshot(Host("10.0.0.1:80"), Down(Host("10.0.0.2:80")));
        Assert.False(half.Panic[0]);
        Assert.Single(half.Routable[0]);

        var third = Snapshot(Host("10.0.0.1:80"), Down(Host("10.0.0.2:80")), Down(Host("10.0.0.3:80")));
        Assert.True(third.Panic[0]);
        Assert.Equal(3, third.Routable[0].Length);
    }

    [Fact]
    public void A_degraded_priority_spills_load_to_the_next_level_by_overprovisioned_health()
    {
        // Level 0: 2 of 4 healthy -> health 50% * 1.4 = 70%; level 1 takes the other 30%.
        var snapshot = Snapshot(
            Host("10.0.0.1:80"), Host("10.0.0.2:80"), Down(Host("10.0.0.3:80")), Down(Host("10.0.0.4:80")),
            Host("10.0.1.1:80", priority: 1), Host("10.0.1.2:80", priority: 1));
        Assert.Equal([70, 100], snapshot.CumulativeLoad.ToArray());
        Assert.Equal(0, snapshot.LevelFor(69));
        Assert.Equal(1, snapshot.LevelFor(70));
    }

    [Fact]
    public void A_dead_priority_sends_everything_to_the_next()
    {
        var snapshot = Snapshot(Down(Host("10.0.0.1:80")), Down(Host("10.0.0.2:80")), Host("10.0.1.1:80", priority: 1));
        Assert.Equal([0, 100], snapshot.CumulativeLoad.ToArray());
        Assert.Equal(1, snapshot.LevelFor(0));
    }

    [Fact]
    public void Levels_that_together_are_under_full_health_share_the_load_in_proportion()
    {
        // Level 0: 1 of 4 -> 35%; level 1: 1 of 4 -> 35%; together 70%, scaled to 50/50.
        var snapshot = Snapshot(
            Host("10.0.0.1:80"), Down(Host("10.0.0.2:80")), Down(Host("10.0.0.3:80")), Down(Host("10.0.0.4:80")),
            Host("10.0.1.1:80", priority: 1), Down(Host("10.0.1.2:80", priority: 1)), Down(Host("10.0.1.3:80", priority: 1)), Down(Host("10.0.1.4:80", priority: 1)));
        Assert.Equal([50, 100], snapshot.CumulativeLoad.ToArray());
        Assert.True(snapshot.Panic[0]);
        Assert.True(snapshot.Panic[1]);
    }

    [Fact]
    public void With_no_healthy_host_anywhere_level_zero_takes_everything_in_panic()
    {
        var snapshot = Snapshot(Down(Host("10.0.0.1:80")), Down(Host("10.0.1.1:80", priority: 1)));
        Assert.Equal(0, snapshot.LevelFor(99));
        Assert.True(snapshot.Panic[0]);
        Assert.Single(snapshot.Routable[0]);
    }

    [Fact]
    public void An_empty_cluster_has_no_level()
    {
        var snapshot = Snapshot();
        Assert.Empty(snapshot.Routable);
        Assert.Empty(snapshot.CumulativeLoad);
    }
}
