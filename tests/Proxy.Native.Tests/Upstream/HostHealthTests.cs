using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Tests.Upstream;

public sealed class HostHealthTests
{
    [Fact]
    public void Hosts_start_healthy_and_flip_with_their_checks()
    {
        var health = new HostHealth(4);
        Assert.True(health.IsHealthy(2));
        health.Set(2, healthy: false);
        Assert.False(health.IsHealthy(2));
        Assert.True(health.Steers);
        health.Set(2, healthy: true);
        Assert.True(health.IsHealthy(2));
    }

    [Fact]
    public void Health_steers_until_more_than_half_the_hosts_fail_then_panics()
    {
        var health = new HostHealth(4);
        health.Set(0, healthy: false);
        health.Set(1, healthy: false);
        Assert.True(health.Steers); // half healthy: still steering, as Envoy's 50% panic threshold
        health.Set(2, healthy: false);
        Assert.False(health.Steers); // a mass failure: use every host rather than none
        health.Set(2, healthy: false); // setting the same state twice counts once
        health.Set(2, healthy: true);
        Assert.True(health.Steers);
    }
}
