using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// Connect failures move on to the next host (round robin) up to max_connect_attempts; when every
/// attempt fails the client is closed promptly rather than left hanging. One worker keeps the round
/// robin sequence a single sequence, so the counts below follow from the config.
/// </summary>
public sealed class UpstreamFailureTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PromptClose = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task RefusedHostIsSkippedForTheNextHost()
    {
        await using var echo = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(RefusingPort.Allocate(), echo.EndPoint);
        config.Workers = 1;
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        // Two connections: whichever host round robin starts with, one of them meets the refusing host first.
        for (var i = 0; i < 2; i++)
        {
            using var client = await Loopback.ConnectAsync(proxy.ListenerAddress());
            await Loopback.AssertEchoesAsync(client, $"hello through host fallback {i}");
        }

        Assert.True(await Progress.WaitUntilAsync(() => echo.Closed == 2, TimeSpan.FromSeconds(15)), proxy.Describe());
        await proxy.StopCleanlyAsync();

        Assert.Equal(2, echo.Accepted);
        var failures = proxy.ClusterStats().RequireLong("upstream_cx_connect_fail");
        Assert.True(failures is >= 1 and <= 2, $"upstream_cx_connect_fail={failures}, expected 1 or 2\n{proxy.Describe()}");
    }

    [Fact]
    public async Task AllHostsRefusedClosesTheClientPromptlyAndCountsEveryAttempt()
    {
        const int attempts = 3;
        const int clients = 2;
        var config = ProxyConfig.ForTcpProxy(RefusingPort.Allocate(), RefusingPort.Allocate());
        config.Workers = 1;
        config.Listener.MaxConnectAttempts = attempts;
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        for (var i = 0; i < clients; i++)
        {
            using var client = await Loopback.ConnectAsync(proxy.ListenerAddress());
            Assert.True(
                await Loopback.WaitForCloseAsync(client, PromptClose),
                $"client {i} still open {PromptClose.TotalSeconds}s after every host refused\n{proxy.Describe()}");
        }

        await proxy.StopCleanlyAsync();
        Assert.Equal(clients, proxy.ListenerStats().RequireLong("cx_total"));

        // max_connect_attempts counts every attempt, the first included: 3 refused connects per client.
        var failures = proxy.ClusterStats().RequireLong("upstream_cx_connect_fail");
        Assert.True(
            failures == clients * attempts,
            $"upstream_cx_connect_fail={failures}, expected {clients * attempts} ({clients} clients x {attempts} attempts)\n{proxy.Describe()}");
    }

    [Fact]
    public async Task ConnectTimeoutOnBlackHoleHostMovesToTheNextHost()
    {
        await using var echo = EchoServer.Start();
        using var blackHole = await BlackHolePort.StartAsync();
        var config = ProxyConfig.ForTcpProxy(blackHole.EndPoint, echo.EndPoint);
        config.Workers = 1;
        config.Cluster.ConnectTimeout = "500ms";
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        // The message is sent before the upstream connect resolves, so the proxy must hold it until then.
        for (var i = 0; i < 2; i++)
        {
            using var client = await Loopback.ConnectAsync(proxy.ListenerAddress());
            await Loopback.AssertEchoesAsync(client, $"hello past the black hole {i}");
        }

        Assert.True(await Progress.WaitUntilAsync(() => echo.Closed == 2, TimeSpan.FromSeconds(15)), proxy.Describe());
        await proxy.StopCleanlyAsync();

        var timeouts = proxy.ClusterStats().RequireLong("upstream_cx_connect_timeout");
        Assert.True(timeouts is >= 1 and <= 2, $"upstream_cx_connect_timeout={timeouts}, expected 1 or 2\n{proxy.Describe()}");
    }
}
