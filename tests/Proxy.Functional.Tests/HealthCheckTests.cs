using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>Active TCP health checks take a dead host out of rotation before clients meet it.</summary>
public sealed class HealthCheckTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AHostThatFailsItsChecksGetsNoConnections()
    {
        await using var echo = EchoServer.Start();
        var dead = RefusingPort.Allocate();
        var config = ProxyConfig.ForTcpProxy(dead, echo.EndPoint);
        config.Cluster.HealthCheckInterval = "200ms";
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        await proxy.WaitForLogAsync("host unhealthy", TimeSpan.FromSeconds(10), line => line.Get("host") == dead.ToString());
        for (var i = 0; i < 10; i++)
        {
            using var client = await Loopback.ConnectAsync(proxy.ListenerAddress());
            await Loopback.AssertEchoesAsync(client, $"connection {i}");
        }

        // The echo server also counts the health checker's probes, so wait on at least ten closes.
        Assert.True(await Progress.WaitUntilAsync(() => echo.Closed >= 10, TimeSpan.FromSeconds(15)), proxy.Describe());
        await proxy.StopCleanlyAsync();

        // Without the check, round robin would have sent about half of them to the dead host first.
        var cluster = proxy.ClusterStats();
        Assert.Equal(0, cluster.RequireLong("upstream_cx_connect_fail"));
        Assert.Equal(10, cluster.RequireLong("upstream_cx_total"));
    }
}
