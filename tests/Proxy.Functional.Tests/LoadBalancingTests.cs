using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>Each downstream connection gets one upstream connection, to a host the cluster's policy picks.</summary>
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

    [Theory]
    [InlineData("maglev")]
    [InlineData("ring_hash")]
    public async Task ConsistentHashingKeepsAClientOnOneHost(string policy)
    {
        await using var first = EchoServer.Start();
        await using var second = EchoServer.Start();
        await using var third = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(first.EndPoint, second.EndPoint, third.EndPoint);
        config.Cluster.LbPolicy = policy;
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        // Every connection comes from 127.0.0.1, so every one must reach the same host, whichever
        // worker accepts it (the table is shared by all workers).
        for (var i = 0; i < 6; i++)
        {
            using var client = await Loopback.ConnectAsync(proxy.ListenerAddress());
            await Loopback.AssertEchoesAsync(client, $"connection {i}");
        }

        await proxy.StopCleanlyAsync();
        var accepted = new[] { first.Accepted, second.Accepted, third.Accepted };
        Assert.True(accepted.Count(n => n > 0) == 1 && accepted.Sum() == 6, $"{policy} spread one client over hosts: {string.Join(", ", accepted)}\n{proxy.Describe()}");
    }

    [Fact]
    public async Task LeastRequestAvoidsAHostHoldingOpenConnections()
    {
        await using var first = EchoServer.Start();
        await using var second = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(first.EndPoint, second.EndPoint);
        config.Cluster.LbPolicy = "least_request";
        config.Workers = 1; // one balancer's counts
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        // Hold ten connections open: least request must split them five and five (power of two
        // choices over two hosts always compares both).
        var clients = new List<System.Net.Sockets.Socket>();
        for (var i = 0; i < 10; i++)
        {
            var client = await Loopback.ConnectAsync(proxy.ListenerAddress());
            await Loopback.AssertEchoesAsync(client, $"connection {i}");
            clients.Add(client);
        }

        Assert.True(first.Accepted == 5 && second.Accepted == 5, $"least request gave {first.Accepted} and {second.Accepted}\n{proxy.Describe()}");
        clients.ForEach(c => c.Dispose());
        await proxy.StopCleanlyAsync();
    }
}
