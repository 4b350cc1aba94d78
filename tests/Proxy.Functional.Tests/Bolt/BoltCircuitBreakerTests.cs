using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>The cluster's max_requests breaker on the RPC path, against a real SOFA server and client.</summary>
public sealed class BoltCircuitBreakerTests(ITestOutputHelper output)
{
    private const string Echo = "com.meshedge.Echo:1.0";
    private const string RoutesToA = """routes = [ { match = { service_prefix = "com.meshedge." }, cluster = "a" } ]""";

    [Fact]
    public async Task Calls_past_max_requests_get_server_threadpool_busy_at_once()
    {
        const int maxRequests = 2;
        const int calls = 5;
        const int delayMs = 2000;
        await using var server = await BoltServer.StartAsync("a", Echo);
        var config = ProxyConfig.ForBolt(RoutesToA, ("a", [server.EndPoint]));
        config.Clusters[0].CircuitBreakers = $"max_requests = {maxRequests}";
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        // All calls leave at once on one connection: the first two take the slots.
        var run = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "delay", [delayMs, "$i"], Count: calls, TimeoutMs: 10_000)]);

        Assert.Equal(calls, run.Results.Length);
        var busy = run.Results.Where(r => r.Status == BoltStatus.ServerThreadpoolBusy).ToArray();
        var served = run.Results.Where(r => r.Status == BoltStatus.Success).ToArray();
        Assert.True(busy.Length == calls - maxRequests, run.Log);
        Assert.True(served.Length == maxRequests, run.Log);

        // Not queued: the overloaded replies come long before the server could have answered.
        Assert.All(busy, r => Assert.True(r.ElapsedMs < delayMs / 4, $"{r}"));
        Assert.All(served, r => Assert.True(r.ElapsedMs >= delayMs - 50, $"{r}"));
        Assert.Equal(maxRequests, server.Requests);
        await proxy.StopCleanlyAsync();
        Assert.Equal(calls - maxRequests, proxy.ClusterStats("a").RequireLong("upstream_rq_overflow"));
        Assert.Equal(calls - maxRequests, proxy.RpcListenerStats().RequireLong("rq_overflow"));
    }
}
