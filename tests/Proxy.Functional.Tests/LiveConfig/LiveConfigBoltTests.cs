using MeshEdge.Functional.Tests.Bolt;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.LiveConfig;

/// <summary>
/// Live configuration of an RPC listener: a route change applies to the next call on a connection
/// already open; a cluster whose settings change is let go of by every worker's RPC context once its
/// old connections are gone, while calls go on through its new runtime.
/// </summary>
public sealed class LiveConfigBoltTests(ITestOutputHelper output)
{
    private const string Echo = "com.meshedge.Echo:1.0";

    private static string Config(string cluster, BoltServer a, BoltServer b, string connectTimeout = "1s") => $$"""
        [runtime]
        workers = 2

        [admin]
        address = "127.0.0.1:0"

        [[listeners]]
        name = "inbound"
        address = "127.0.0.1:0"
        protocol = "bolt"
        [listeners.rpc_proxy]
        routes = [ { match = { service = "{{Echo}}" }, cluster = "{{cluster}}" } ]

        [[clusters]]
        name = "a"
        hosts = ["{{a.EndPoint}}"]
        connect_timeout = "{{connectTimeout}}"

        [[clusters]]
        name = "b"
        hosts = ["{{b.EndPoint}}"]
        """;

    [Fact]
    public async Task A_route_change_applies_to_the_next_call_on_an_open_connection()
    {
        await using var a = await BoltServer.StartAsync("a", Echo);
        await using var b = await BoltServer.StartAsync("b", Echo);
        await using var proxy = await ProxyProcess.StartTomlAsync(Config("a", a, b), output);
        await using var client = await BoltClient.StartAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "echo", ["before"])], followUp: [new BoltCall(Echo, "echo", ["after"])]);
        await client.SentAsync();
        Assert.True(await Progress.WaitUntilAsync(() => a.Requests == 1, TimeSpan.FromSeconds(30)), "the first call never reached cluster a");

        await LiveConfigFile.RewriteAsync(proxy, Config("b", a, b));
        await client.SendFollowUpAsync();
        var run = await client.WaitAsync();

        Assert.Equal("a:before", Assert.Single(run.Results).Value);
        var after = Assert.Single(run.FollowUp);
        Assert.True(after.Value == "b:after", $"the call after the change went by the old route: {after}\n{run.Log}\n{proxy.Describe()}");
        Assert.Equal(1, await LiveConfigFile.AcceptedAsync(proxy, "inbound"));
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_changed_cluster_is_let_go_by_the_rpc_pools_once_its_call_is_answered_and_the_next_call_takes_the_new_one()
    {
        await using var a = await BoltServer.StartAsync("a", Echo);
        await using var b = await BoltServer.StartAsync("b", Echo);
        await using var proxy = await ProxyProcess.StartTomlAsync(Config("a", a, b), output);
        await using var client = await BoltClient.StartAsync(
            proxy.ListenerAddress(), [new BoltCall(Echo, "gated", ["before"], TimeoutMs: 30_000)], followUp: [new BoltCall(Echo, "echo", ["after"])]);
        await client.SentAsync();
        Assert.True(await Progress.WaitUntilAsync(() => a.RequestsOf("gated") == 1, TimeSpan.FromSeconds(30)), "the first call never reached cluster a");

        // A new connect timeout: cluster a is a new runtime; the old one stays while its call is under way.
        await LiveConfigFile.RewriteAsync(proxy, Config("a", a, b, connectTimeout: "2s"));
        Assert.True(await RetiredHeldAsync(proxy) >= 1, $"the retired cluster was let go with a call under way on it\n{proxy.Describe()}");

        // Answered, the call frees it: its connection closes (its host was removed) and the worker lets go.
        await a.OpenGateAsync();
        long held = -1;
        Assert.True(
            await Progress.WaitUntilAsync(() => (held = RetiredHeldAsync(proxy).GetAwaiter().GetResult()) == 0, TimeSpan.FromSeconds(30)),
            $"workers still hold {held} retired cluster(s)\n{proxy.Describe()}");

        await client.SendFollowUpAsync();
        var run = await client.WaitAsync();
        Assert.Equal("a:before", Assert.Single(run.Results).Value);
        var after = Assert.Single(run.FollowUp);
        Assert.True(after.Value == "a:after", $"the call after the change failed: {after}\n{run.Log}\n{proxy.Describe()}");
        await proxy.StopCleanlyAsync();
    }

    private static async Task<long> RetiredHeldAsync(ProxyProcess proxy)
    {
        using var stats = System.Text.Json.JsonDocument.Parse(await proxy.AdminGetAsync("/stats"));
        return stats.RootElement.TryGetProperty("clusters_retired_held", out var held) ? held.GetInt64() : -1;
    }
}
