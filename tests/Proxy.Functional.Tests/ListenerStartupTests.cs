using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// Readiness reporting: one "listener started" line per listener, with the real port, before
/// "meshedge started"; tools that wait for readiness parse exactly these lines.
/// </summary>
public sealed class ListenerStartupTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoListenersEachLogOneStartLineAndProxyToTheirOwnCluster()
    {
        await using var first = EchoServer.Start();
        await using var second = EchoServer.Start();
        var config = ProxyConfig.ForTcpProxy(first.EndPoint);
        config.Listeners.Add(new ListenerSpec { Name = "second", Cluster = "other" });
        var other = new ClusterSpec { Name = "other" };
        other.Hosts.Add(second.EndPoint.ToString());
        config.Clusters.Add(other);
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        var lines = proxy.StderrLines.Select(line => line.Message).ToList();
        var ready = lines.IndexOf("meshedge started");
        foreach (var listener in new[] { "inbound", "second" })
        {
            var started = proxy.StderrLines.Where(line => line.Message == "listener started" && line.Get("listener") == listener).ToList();
            Assert.True(started.Count == 1, $"{started.Count} \"listener started\" lines for {listener}\n{proxy.Describe()}");
            Assert.True(proxy.StderrLines.ToList().IndexOf(started[0]) < ready, $"{listener} reported after \"meshedge started\"\n{proxy.Describe()}");
            Assert.NotEqual(0, proxy.ListenerAddress(listener).Port);
        }

        using (var toFirst = await Loopback.ConnectAsync(proxy.ListenerAddress("inbound")))
        using (var toSecond = await Loopback.ConnectAsync(proxy.ListenerAddress("second")))
        {
            await Loopback.AssertEchoesAsync(toFirst, "to the first cluster");
            await Loopback.AssertEchoesAsync(toSecond, "to the other cluster");
        }

        Assert.True(await Progress.WaitUntilAsync(() => first.Closed == 1 && second.Closed == 1, TimeSpan.FromSeconds(15)), proxy.Describe());
        await proxy.StopCleanlyAsync();

        Assert.Equal(1, first.Accepted);
        Assert.Equal(1, second.Accepted);
        Assert.Equal(1, proxy.ListenerStats("inbound").RequireLong("cx_total"));
        Assert.Equal(1, proxy.ListenerStats("second").RequireLong("cx_total"));
        Assert.Equal(1, proxy.ClusterStats("app").RequireLong("upstream_cx_total"));
        Assert.Equal(1, proxy.ClusterStats("other").RequireLong("upstream_cx_total"));
    }
}
