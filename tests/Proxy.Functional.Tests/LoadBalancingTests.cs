using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>Each downstream connection gets one upstream connection, to hosts taken in round robin order.</summary>
public sealed class LoadBalancingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SequentialConnectionsAlternateBetweenHosts()
    {
        await using var first = EchoServer.Start();
        await using var second = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(first.EndPoint, second.EndPoint);
        config.Workers = 1; // one balancer, so the order is one sequence
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        for (var i = 0; i < 4; i++)
        {
            using var client = await Loopback.ConnectAsync(proxy.ListenerAddress());
            await Loopback.AssertEchoesAsync(client, $"connection {i}");
        }

        Assert.True(await Progress.WaitUntilAsync(() => first.Closed + second.Closed == 4, TimeSpan.FromSeconds(15)), proxy.Describe());
        await proxy.StopCleanlyAsync();

        Assert.True(
            first.Accepted == 2 && second.Accepted == 2,
            $"round robin over 2 hosts for 4 connections gave {first.Accepted} and {second.Accepted}\n{proxy.Describe()}");
    }
}
