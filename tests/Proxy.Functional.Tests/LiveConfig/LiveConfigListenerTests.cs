using System.Net;
using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.LiveConfig;

/// <summary>
/// Live configuration of listeners and hosts with the AOT binary: a listener added binds and serves,
/// one removed stops accepting while its request in flight completes; a host that stays in a changed
/// cluster keeps its outlier ejection.
/// </summary>
public sealed class LiveConfigListenerTests(ITestOutputHelper output)
{
    private static string Listener(string name) => $"""
        [[listeners]]
        name = "{name}"
        address = "127.0.0.1:0"
        protocol = "http"
        {HttpToml.CatchAll("alpha")}
        """;

    private static string Config(IEnumerable<string> listeners, string cluster) => $"""
        [runtime]
        workers = 2
        drain_timeout = "20s"

        [admin]
        address = "127.0.0.1:0"

        {string.Join("\n", listeners.Select(Listener))}

        {cluster}
        """;

    [Fact]
    public async Task An_added_listener_serves_and_a_removed_one_refuses_new_connections_but_finishes_its_request()
    {
        using var arrived = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        var (a, _) = NamedHttpResponder.Start("a", head =>
        {
            if (head.StartsWith("GET /slow", StringComparison.Ordinal))
            {
                arrived.Release();
                release.Wait(TimeSpan.FromSeconds(60));
            }

            return 200;
        });
        await using (a)
        {
            var alpha = HttpToml.Cluster("alpha", a.EndPoint);
            await using var proxy = await ProxyProcess.StartTomlAsync(Config(["inbound", "old"], alpha), output);
            var old = proxy.ListenerAddress("old");
            using var inFlight = await RawHttpClient.ConnectAsync(old);
            await inFlight.SendAsync("GET /slow HTTP/1.1\r\nHost: live\r\n\r\n");
            Assert.True(await arrived.WaitAsync(TimeSpan.FromSeconds(30)), "the slow request never reached the backend");

            await LiveConfigFile.RewriteAsync(proxy, Config(["inbound", "new"], alpha));

            var added = proxy.ListenerAddress("new");
            Assert.Equal("a", (await ToolRun.CurlAsync("-s", $"http://{added}/x")).Stdout);
            Assert.True(await Loopback.IsRefusedAsync(old), $"the removed listener {old} still accepts\n{proxy.Describe()}");
            Assert.Equal("a", (await ToolRun.CurlAsync("-s", $"http://{proxy.ListenerAddress()}/x")).Stdout);
            using (var listeners = JsonDocument.Parse(await proxy.AdminGetAsync("/listeners")))
            {
                var names = listeners.RootElement.EnumerateArray().Select(l => l.GetProperty("name").GetString()).ToList();
                Assert.Contains("new", names);
                Assert.DoesNotContain("old", names);
            }

            // The request in flight on the removed listener completes, and its connection then closes.
            release.Set();
            var response = await inFlight.ReadResponseAsync();
            Assert.Equal(200, response.Status);
            Assert.Equal("a", response.BodyText);
            Assert.True(response.Closes, "a draining listener's response should say connection: close");
            Assert.True(await inFlight.WaitForCloseAsync(TimeSpan.FromSeconds(30)), "the removed listener's connection stayed open");
            Assert.Empty(proxy.FindLogs("removed listener's drain deadline passed, closing connections"));
            await proxy.StopCleanlyAsync();
        }
    }

    [Fact]
    public async Task A_host_that_stays_keeps_its_outlier_ejection_when_its_cluster_gains_a_host()
    {
        var (bad, _) = NamedHttpResponder.Start("bad", _ => 503);
        var (good, _) = NamedHttpResponder.Start("good", _ => 200);
        var (extra, extraResponder) = NamedHttpResponder.Start("extra", _ => 200);
        await using (bad)
        await using (good)
        await using (extra)
        {
            const string outliers = "outlier_detection = { consecutive_5xx = 3, base_ejection_time = \"300s\", max_ejection_percent = 50, interval = \"100ms\" }";
            await using var proxy = await ProxyProcess.StartTomlAsync(Config(["inbound"], HttpToml.Cluster("alpha", [bad.EndPoint, good.EndPoint], outliers)), output);
            var url = $"http://{proxy.ListenerAddress()}/x";
            for (var i = 0; i < 20 && !await IsEjectedAsync(proxy, bad.EndPoint); i++)
            {
                await ToolRun.CurlAsync("-s", "-o", "/dev/null", url);
            }

            Assert.True(await IsEjectedAsync(proxy, bad.EndPoint), $"the failing host was never ejected\n{await proxy.AdminGetAsync("/clusters")}");

            await LiveConfigFile.RewriteAsync(proxy, Config(["inbound"], HttpToml.Cluster("alpha", [bad.EndPoint, good.EndPoint, extra.EndPoint], outliers)));

            Assert.True(await IsEjectedAsync(proxy, bad.EndPoint), $"the host that stayed lost its ejection\n{await proxy.AdminGetAsync("/clusters")}");
            for (var i = 0; i < 10; i++)
            {
                Assert.NotEqual("bad", (await ToolRun.CurlAsync("-s", url)).Stdout);
            }

            Assert.True(extraResponder.Requests > 0, "the added host got no request");
            await proxy.StopCleanlyAsync();
        }
    }

    private static async Task<bool> IsEjectedAsync(ProxyProcess proxy, IPEndPoint host)
    {
        using var clusters = JsonDocument.Parse(await proxy.AdminGetAsync("/clusters"));
        return clusters.RootElement.EnumerateArray()
            .SelectMany(c => c.GetProperty("hosts").EnumerateArray())
            .Any(h => h.GetProperty("address").GetString() == host.ToString() && h.GetProperty("ejected").GetBoolean());
    }
}
