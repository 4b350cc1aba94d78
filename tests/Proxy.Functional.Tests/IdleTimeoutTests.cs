using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>idle_timeout closes both sides of a connection with no bytes either way, and only such a connection.</summary>
public sealed class IdleTimeoutTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TcpBackend _echo = EchoServer.Start();
    private ProxyProcess? _proxy;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        await _echo.DisposeAsync();
    }

    [Fact]
    public async Task IdleConnectionIsClosedOnBothSides()
    {
        var proxy = await StartAsync(idleTimeout: "1s");

        using (var client = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            await Loopback.AssertEchoesAsync(client, "one message, then silence");
            Assert.True(
                await Loopback.WaitForCloseAsync(client, TimeSpan.FromSeconds(15)),
                $"idle client connection still open 15s into a 1s idle timeout\n{proxy.Describe()}");
        }

        Assert.True(
            await Progress.WaitUntilAsync(() => _echo.Closed == 1, TimeSpan.FromSeconds(10)),
            $"upstream side of the idle connection was not closed\n{proxy.Describe()}");
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task ConnectionWithTrafficOutlivesIdleTimeout()
    {
        var proxy = await StartAsync(idleTimeout: "2s");

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
        var proxy = await StartAsync(idleTimeout: "0s");

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

    /// <summary>A tcp_proxy listener to the echo server with <paramref name="idleTimeout"/>.</summary>
    private async Task<ProxyProcess> StartAsync(string idleTimeout)
    {
        var config = ProxyConfig.ForTcpProxy(_echo.EndPoint);
        config.Listener.IdleTimeout = idleTimeout;
        return _proxy = await ProxyProcess.StartAsync(config, output);
    }
}
