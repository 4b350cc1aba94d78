using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>idle_timeout closes both sides of a connection with no bytes either way, and only such a connection.</summary>
public sealed class IdleTimeoutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task IdleConnectionIsClosedOnBothSides()
    {
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.Listener.IdleTimeout = "1s";
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        using (var client = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            await Loopback.AssertEchoesAsync(client, "one message, then silence");
            Assert.True(
                await Loopback.WaitForCloseAsync(client, TimeSpan.FromSeconds(15)),
                $"idle client connection still open 15s into a 1s idle timeout\n{proxy.Describe()}");
        }

        Assert.True(
            await Progress.WaitUntilAsync(() => echo.Closed == 1, TimeSpan.FromSeconds(10)),
            $"upstream side of the idle connection was not closed\n{proxy.Describe()}");
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task ConnectionWithTrafficOutlivesIdleTimeout()
    {
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.Listener.IdleTimeout = "2s";
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        // A message every 200 ms for 5 s: ten times more often than the timeout, so noise cannot close it.
        using (var client = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            for (var i = 0; i < 25; i++)
            {
                await Loopback.AssertEchoesAsync(client, $"keepalive {i}");
                await Task.Delay(200);
            }
        }

        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task ZeroIdleTimeoutDisablesIt()
    {
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(echo.EndPoint);
        config.Listener.IdleTimeout = "0s";
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        using (var client = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            await Loopback.AssertEchoesAsync(client, "before a silence");
            Assert.False(
                await Loopback.WaitForCloseAsync(client, TimeSpan.FromSeconds(2)),
                $"connection closed while idle although idle_timeout = \"0s\" disables the timeout\n{proxy.Describe()}");
            await Loopback.AssertEchoesAsync(client, "after the silence");
        }

        await proxy.StopCleanlyAsync();
    }
}
