using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>
/// How calls use a host's <c>connections_per_host</c> upstream connections, and when their frames are
/// written (issue 21): by default each client connection keeps to one of them, as a relay gives each
/// client its own, and the old end-of-turn flush still carries every call.
/// </summary>
public sealed class BoltUpstreamConnectionTests(ITestOutputHelper output)
{
    private const string Echo = "com.meshedge.Echo:1.0";
    private const string RoutesToA = """routes = [ { match = { service_prefix = "com.meshedge." }, cluster = "a" } ]""";

    [Fact]
    public async Task EachClientConnectionKeepsToOneUpstreamConnectionByDefault()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        var config = ProxyConfig.ForBolt("connections_per_host = 3\n" + RoutesToA, ("a", [server.EndPoint]));
        config.Workers = 1;
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        // Two clients, one after the other, 60 calls each: spread per call they would open all three
        // connections; kept per client they open one each.
        for (var client = 0; client < 2; client++)
        {
            var run = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "echo", ["$i"], Count: 60)]);
            Assert.Equal(60, run.Results.Length);
            Assert.All(run.Results, result => Assert.True(result.Status == BoltStatus.Success && result.Value == $"a:{result.Index}", $"{result}\n{run.Log}"));
        }

        await proxy.StopCleanlyAsync();
        Assert.Equal(2, proxy.ClusterStats("a").RequireLong("upstream_cx_total"));
        Assert.Equal(120, proxy.RpcListenerStats().RequireLong("rq_total"));
    }

    [Fact]
    public async Task PerReadFlushStillCarriesConcurrentCallsAndHeartbeats()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        var config = ProxyConfig.ForBolt("flush = \"read\"\n" + RoutesToA, ("a", [server.EndPoint]));
        config.Workers = 1;
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "echo", ["$i"], Count: 300)], heartbeats: 2);

        Assert.Equal(300, run.Results.Length);
        Assert.All(run.Results, result => Assert.True(result.Status == BoltStatus.Success && result.Value == $"a:{result.Index}", $"{result}\n{run.Log}"));
        Assert.Equal(2, run.Heartbeats.Length);
        Assert.All(run.Heartbeats, ack => Assert.True(ack.Heartbeat && ack.Status == BoltStatus.Success, $"{ack}\n{run.Log}"));
        await proxy.StopCleanlyAsync();
        var stats = proxy.RpcListenerStats();
        Assert.Equal(300, stats.RequireLong("rq_total"));
        Assert.Equal(2, stats.RequireLong("heartbeats_answered"));
    }
}
