using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>
/// How calls use a host's <c>connections_per_host</c> upstream connections, and when their frames are
/// written (issue 21): by default each client connection has its own, as a relay gives each client
/// its own, up to the cap; one no client takes any more closes after the pool's idle timeout; and the
/// per-read flush still carries every call.
/// </summary>
public sealed class BoltUpstreamConnectionTests(ITestOutputHelper output)
{
    private const string Echo = "com.meshedge.Echo:1.0";
    private const string RoutesToA = """routes = [ { match = { service_prefix = "com.meshedge." }, cluster = "a" } ]""";

    [Fact]
    public async Task TwoClientConnectionsTakeTwoUpstreamConnectionsByDefault()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        var config = ProxyConfig.ForBolt(RoutesToA, ("a", [server.EndPoint]));
        config.Workers = 1;
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        // sofa-rpc-node's client on two connections at once, calls in flight on both: merged, they
        // would share one upstream connection; paired as a relay pairs them, each has its own.
        var first = await RunLoadAsync(proxy, connections: 2);

        // Two more after those left take the same two: a session is numbered with the lowest number
        // free, not in the order sessions started (which would have opened two more).
        var second = await RunLoadAsync(proxy, connections: 2);

        await proxy.StopCleanlyAsync();
        Assert.Equal(2, proxy.ClusterStats("a").RequireLong("upstream_cx_total"));
        Assert.Equal(first.Ok + second.Ok, proxy.RpcListenerStats().RequireLong("rq_total"));
    }

    [Fact]
    public async Task ClientConnectionsBeyondConnectionsPerHostShareTheCappedUpstreamConnections()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        var config = ProxyConfig.ForBolt("connections_per_host = 2\n" + RoutesToA, ("a", [server.EndPoint]));
        config.Workers = 1;
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        await RunLoadAsync(proxy, connections: 3);

        await proxy.StopCleanlyAsync();
        Assert.Equal(2, proxy.ClusterStats("a").RequireLong("upstream_cx_total"));
    }

    [Fact]
    public async Task ClientsShareAConnectionWhenTheBreakerAllowsNoMore()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        var config = ProxyConfig.ForBolt(RoutesToA, ("a", [server.EndPoint]));
        config.Clusters[0].MaxConnections = 1;
        config.Workers = 1;
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        // A connection of its own is a preference: the second client's calls share the first's
        // connection rather than fail as overloaded.
        await RunLoadAsync(proxy, connections: 2);

        await proxy.StopCleanlyAsync();
        Assert.Equal(1, proxy.ClusterStats("a").RequireLong("upstream_cx_total"));
        Assert.Equal(0, proxy.ClusterStats("a").RequireLong("upstream_cx_overflow"));
    }

    [Fact]
    public async Task UpstreamConnectionsCloseAfterTheIdleTimeoutOnceTheirClientsLeft()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        var config = ProxyConfig.ForBolt(RoutesToA, ("a", [server.EndPoint]));
        config.Workers = 1;
        config.AdminAddress = "127.0.0.1:0";
        var hosts = $"hosts = [\"{server.EndPoint}\"]";
        var toml = config.ToToml();
        Assert.Contains(hosts, toml, StringComparison.Ordinal);
        await using var proxy = await ProxyProcess.StartTomlAsync(toml.Replace(hosts, hosts + "\nconnection_pool = { idle_timeout = \"1s\" }", StringComparison.Ordinal), output);

        await RunLoadAsync(proxy, connections: 2);
        Assert.Equal(2, await UpstreamConnectionsAsync(proxy));

        // Both clients gone: neither connection is any client's now, and both close a second later.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await UpstreamConnectionsAsync(proxy) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, await UpstreamConnectionsAsync(proxy));
        await proxy.StopCleanlyAsync();
        Assert.Equal(2, proxy.RpcClusterStats("a").RequireLong("upstream_cx_unpaired_close"));
    }

    private static async Task<BoltLoadResult> RunLoadAsync(ProxyProcess proxy, int connections)
    {
        await using var load = await BoltLoad.StartAsync(proxy.ListenerAddress(), Echo, connections, inFlight: 8);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (load.Ok < 500 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var result = await load.StopAsync();
        Assert.True(result.Ok >= 500 && result.Failed == 0 && result.Mismatched == 0, $"ok {result.Ok}, failed {result.Failed}, mismatched {result.Mismatched}: {string.Join("; ", result.Errors)}");
        Assert.Equal(connections, result.Connects);
        return result;
    }

    private static async Task<long> UpstreamConnectionsAsync(ProxyProcess proxy)
    {
        using var stats = JsonDocument.Parse(await proxy.AdminGetAsync("/stats"));
        return stats.RootElement.GetProperty("clusters").GetProperty("a").GetProperty("upstream_cx_active").GetInt64();
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
