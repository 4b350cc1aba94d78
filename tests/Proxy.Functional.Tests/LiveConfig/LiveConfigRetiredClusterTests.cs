using System.Net;
using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.LiveConfig;

/// <summary>
/// A reload that changes a cluster's settings replaces its runtime (a new id); the workers keep the
/// retired one while requests are under way on it, then let go of it, so that config churn does not
/// keep every replaced cluster (hosts, pools, TLS context) for the life of the process. /stats
/// clusters_retired_held counts the retired clusters workers still hold.
/// </summary>
public sealed class LiveConfigRetiredClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static string Config(IPEndPoint backend, string connectTimeout) => $"""
        [runtime]
        workers = 2
        drain_timeout = "10s"

        [admin]
        address = "127.0.0.1:0"

        [[listeners]]
        name = "inbound"
        address = "127.0.0.1:0"
        protocol = "http"
        {HttpToml.CatchAll("app")}

        {HttpToml.Cluster("app", [backend], $"connect_timeout = \"{connectTimeout}\"")}
        """;

    [Fact]
    public async Task A_cluster_changed_under_load_with_a_request_held_across_the_change_fails_nothing_and_is_let_go_once_idle()
    {
        await using var backend = ScriptedHttpBackend.Start("app");
        await using var proxy = await ProxyProcess.StartTomlAsync(Config(backend.EndPoint, "1s"), output);
        var web = $"http://{proxy.ListenerAddress()}";
        using var http = new HttpClient { Timeout = Patience };

        // One request kept in flight on the cluster across the change, and wrk's keep-alive load around it.
        var held = HeldGetAsync(http, $"{web}/held");
        Assert.True(await Progress.WaitUntilAsync(() => backend.Requests.Count >= 1, Patience), proxy.Describe());
        var wrk = ToolRun.RunAsync("wrk", ["-t", "1", "-c", "4", "-d", "6s", $"{web}/load"], TimeSpan.FromSeconds(60));
        Assert.True(await Progress.WaitUntilAsync(() => backend.Requests.Count >= 50, Patience), $"wrk did not get going\n{proxy.Describe()}");

        // A changed setting: a new cluster runtime, the old one retired while the held request is on it.
        await LiveConfigFile.RewriteAsync(proxy, Config(backend.EndPoint, "2s"));
        Assert.True(await RetiredHeldAsync(proxy) >= 1, $"the retired cluster was let go with a request in flight on it\n{proxy.Describe()}");

        var load = await wrk;
        Assert.True(load.ExitCode == 0, load.ToString());
        Assert.DoesNotContain("Non-2xx", load.Stdout);
        Assert.DoesNotContain("Socket errors", load.Stdout);
        Assert.True(await RetiredHeldAsync(proxy) >= 1, $"the retired cluster was let go with a request in flight on it\n{proxy.Describe()}");

        backend.ReleaseHeld();
        Assert.Equal(HttpStatusCode.OK, await held);

        long retired = -1;
        Assert.True(
            await Progress.WaitUntilAsync(() => (retired = RetiredHeldAsync(proxy).GetAwaiter().GetResult()) == 0, Patience),
            $"workers still hold {retired} retired cluster(s) with nothing in flight\n{proxy.Describe()}");

        // The cluster's current runtime serves on.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{web}/after")).StatusCode);
        await proxy.StopCleanlyAsync();
    }

    private static async Task<HttpStatusCode> HeldGetAsync(HttpClient http, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("x-action", "hold");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<long> RetiredHeldAsync(ProxyProcess proxy)
    {
        using var stats = JsonDocument.Parse(await proxy.AdminGetAsync("/stats"));
        return stats.RootElement.TryGetProperty("clusters_retired_held", out var held) ? held.GetInt64() : -1;
    }
}
