using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>max_connections is a per-listener limit: one more connection is closed right after accept.</summary>
public sealed class MaxConnectionsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ConnectionOverTheLimitIsClosedWhileOthersWork(int workers)
    {
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.Workers = workers;
        config.Listener.MaxConnections = 2;
        await using var proxy = await ProxyProcess.StartAsync(config, output);
        var address = proxy.ListenerAddress();

        using (var first = await Loopback.ConnectAsync(address))
        using (var second = await Loopback.ConnectAsync(address))
        {
            // Echoing proves both were accepted and counted before the third arrives.
            await Loopback.AssertEchoesAsync(first, "first");
            await Loopback.AssertEchoesAsync(second, "second");

            using (var third = await Loopback.ConnectAsync(address))
            {
                Assert.True(
                    await Loopback.WaitForCloseAsync(third, TimeSpan.FromSeconds(5)),
                    $"third connection over max_connections=2 was not closed\n{proxy.Describe()}");
            }

            await Loopback.AssertEchoesAsync(first, "first again");
            await Loopback.AssertEchoesAsync(second, "second again");
        }

        Assert.True(await Progress.WaitUntilAsync(() => echo.Closed == 2, TimeSpan.FromSeconds(15)), proxy.Describe());
        await proxy.StopCleanlyAsync();

        Assert.Equal(2, echo.Accepted);
        Assert.Equal(1, proxy.ListenerStats().RequireLong("cx_overflow"));
    }

    [Fact]
    public async Task MaxPendingRequestsClosesConnectionsOverItWhileOthersWaitForTheirConnect()
    {
        // Connects to a black hole never end: the first connection stays pending for its connect.
        using var blackHole = await BlackHolePort.StartAsync();
        var config = ProxyConfig.ForTcpProxy(blackHole.EndPoint);
        // The connect timeout only has to outlast the refusal below, on a loaded machine too.
        config.Cluster.ConnectTimeout = "10s";
        config.Cluster.CircuitBreakers = "max_pending_requests = 1";
        config.AdminAddress = "127.0.0.1:0";
        await using var proxy = await ProxyProcess.StartAsync(config, output);
        var address = proxy.ListenerAddress();

        using var pending = await Loopback.ConnectAsync(address);
        Assert.True(await proxy.WaitForBreakerCountAsync("pending_requests", 1, TimeSpan.FromSeconds(30)), $"the first connection never waited on its connect\n{proxy.Describe()}");
        using var over = await Loopback.ConnectAsync(address);
        Assert.True(await Loopback.WaitForCloseAsync(over, TimeSpan.FromSeconds(30)), $"a connection over max_pending_requests=1 was not closed\n{proxy.Describe()}");

        // Refused at once, not queued: the pending one still waits on its connect.
        Assert.False(await Loopback.WaitForCloseAsync(pending, TimeSpan.FromMilliseconds(500)), "the pending connection was closed before its connect timeout");

        await proxy.StopCleanlyAsync();
        Assert.Equal(1, proxy.ClusterStats().RequireLong("upstream_rq_pending_overflow"));
    }

    [Fact]
    public async Task ClusterCircuitBreakerClosesNewConnectionsFastWhileOpenOnesWork()
    {
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.Cluster.MaxConnections = 1;
        config.AdminAddress = "127.0.0.1:0";
        await using var proxy = await ProxyProcess.StartAsync(config, output);
        var address = proxy.ListenerAddress();

        using (var first = await Loopback.ConnectAsync(address))
        {
            await Loopback.AssertEchoesAsync(first, "first");
            using (var second = await Loopback.ConnectAsync(address))
            {
                Assert.True(
                    await Loopback.WaitForCloseAsync(second, TimeSpan.FromSeconds(5)),
                    $"a connection over the cluster's max_connections=1 was not closed\n{proxy.Describe()}");
            }

            await Loopback.AssertEchoesAsync(first, "first again");
        }

        // Once the first is gone, the breaker lets a new one through. The backend sees the close a
        // moment before the proxy reads the backend's own close and frees the slot: wait for the slot.
        Assert.True(await Progress.WaitUntilAsync(() => echo.Closed == 1, TimeSpan.FromSeconds(15)), proxy.Describe());
        Assert.True(await proxy.WaitForBreakerCountAsync("connections", 0, TimeSpan.FromSeconds(15)), $"the first upstream connection still counts\n{proxy.Describe()}");
        using (var third = await Loopback.ConnectAsync(address))
        {
            await Loopback.AssertEchoesAsync(third, "third");
        }

        Assert.True(await Progress.WaitUntilAsync(() => echo.Closed == 2, TimeSpan.FromSeconds(15)), proxy.Describe());
        await proxy.StopCleanlyAsync();
        Assert.Equal(2, echo.Accepted);
        Assert.Equal(1, proxy.ClusterStats().RequireLong("upstream_cx_overflow"));
    }
}
