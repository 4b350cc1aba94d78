using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>
/// Bolt heartbeat health checks against a real sofa-rpc-node server: it answers the proxy's
/// heartbeat and stays in rotation; a host that speaks something else (here HTTP) fails the check
/// and gets no calls.
/// </summary>
public sealed class BoltHealthCheckTests(ITestOutputHelper output)
{
    private const string Echo = "com.meshedge.Echo:1.0";

    [Fact]
    public async Task AServerAnsweringHeartbeatsStaysInAndAnHttpHostIsTakenOut()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        var (http, _) = NamedHttpResponder.Start("not-bolt", _ => 200);
        await using var httpScope = http;
        var toml = $$"""
            [runtime]
            workers = 1

            [admin]
            address = "127.0.0.1:0"

            [[listeners]]
            name = "inbound"
            address = "127.0.0.1:0"
            protocol = "bolt"
            [listeners.rpc_proxy]
            routes = [ { match = { service_prefix = "com.meshedge." }, cluster = "a" } ]

            [[clusters]]
            name = "a"
            hosts = ["{{server.EndPoint}}", "{{http.EndPoint}}"]
            health_check = { type = "bolt", interval = "200ms", timeout = "1s", unhealthy_threshold = 1 }
            """;
        await using var proxy = await ProxyProcess.StartTomlAsync(toml, output);
        await proxy.WaitForLogAsync("host unhealthy", TimeSpan.FromSeconds(10), line => line.Get("host") == http.EndPoint.ToString());
        // A few more rounds, so that a wrong verdict on the real server would show.
        await Task.Delay(600);
        Assert.Null(proxy.FindLog("host unhealthy", line => line.Get("host") == server.EndPoint.ToString()));

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "echo", ["$i"], Count: 40)]);
        Assert.All(run.Results, result => Assert.True(result.Status == BoltStatus.Success && result.Value == $"a:{result.Index}", $"{result}\n{run.Log}"));
        Assert.Equal(40, server.Requests);

        using var admin = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var clusters = JsonDocument.Parse(await admin.GetStringAsync($"http://{proxy.ListenerAddress("admin")}/clusters"));
        var health = clusters.RootElement[0].GetProperty("hosts").EnumerateArray()
            .ToDictionary(h => h.GetProperty("address").GetString()!, h => h.GetProperty("health").GetString());
        Assert.Equal("healthy", health[server.EndPoint.ToString()]);
        Assert.Equal("unhealthy", health[http.EndPoint.ToString()]);
        await proxy.StopCleanlyAsync();
    }
}
