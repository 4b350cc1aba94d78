using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http;

/// <summary>
/// The worker's HTTP/1.1 pool under more requests in flight than <c>max_idle_per_host</c>: the
/// connections a burst released come back for the next burst instead of being closed and reopened
/// (what many h2 streams over few client connections do to it), and the cap still trims idle
/// connections that stay unused.
/// </summary>
public sealed class HttpUpstreamPoolTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int InFlight = 8;
    private readonly ScriptedHttpBackend _backend = ScriptedHttpBackend.Start();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _backend.AssertNoErrorsAndDisposeAsync();

    [Fact]
    public async Task Bursts_above_max_idle_per_host_reuse_the_connections_the_last_burst_released()
    {
        await using var proxy = await StartAsync(idleTimeout: "60s");

        for (var round = 0; round < 3; round++)
        {
            await BurstAsync(proxy);
        }

        // One connection per request in flight, opened by the first burst; a pool that closed what
        // was over max_idle_per_host (2) at release would have opened 6 more per burst (20).
        Assert.Equal(InFlight, _backend.Connections);
        await proxy.StopCleanlyAsync();
        var cluster = proxy.ClusterStats();
        Assert.Equal(InFlight, cluster.RequireLong("upstream_cx_total"));
        Assert.Equal(2 * InFlight, cluster.RequireLong("upstream_cx_pool_reused"));
    }

    [Fact]
    public async Task Idle_connections_over_max_idle_per_host_unused_for_a_sweep_period_are_closed()
    {
        // Sweeps every 2 s (a quarter of the idle timeout): the first after the burst finds all 8
        // unused since it, the next closes the 6 over the cap, long before the idle timeout closes the rest.
        await using var proxy = await StartAsync(idleTimeout: "8s");
        await BurstAsync(proxy);

        Assert.True(
            await Progress.WaitUntilAsync(() => _backend.ClosedConnections >= InFlight - 2, TimeSpan.FromSeconds(30)),
            $"idle upstream connections closed: {_backend.ClosedConnections} of the {InFlight - 2} over the cap\n{proxy.Describe()}");
        Assert.Equal(InFlight - 2, _backend.ClosedConnections);

        var next = await HttpExchange.GetAsync(proxy.ListenerAddress(), "/");
        Assert.Equal(200, next.Status);
        Assert.Equal("2", next.Head.Get("x-connection-request"));
        Assert.Equal(InFlight, _backend.Connections);
        await proxy.StopCleanlyAsync();
    }

    private Task<ProxyProcess> StartAsync(string idleTimeout) => ProxyProcess.StartTomlAsync(
        HttpToml.CatchAllConfig(HttpToml.Cluster("app", [_backend.EndPoint], $"connection_pool = {{ idle_timeout = \"{idleTimeout}\", max_idle_per_host = 2 }}")),
        output);

    /// <summary>InFlight requests at once, each on its own client connection, each held by the backend long enough for all to be in flight together.</summary>
    private static async Task BurstAsync(ProxyProcess proxy)
    {
        var requests = Enumerable.Range(0, InFlight)
            .Select(_ => HttpExchange.GetAsync(proxy.ListenerAddress(), "/", "test", "x-action: delay:500"));
        var responses = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(responses, response => Assert.Equal(200, response.Status));
    }
}
