using System.Net;
using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Admin;

/// <summary>
/// The admin API of the AOT binary, over real HTTP: every endpoint answers, the counters it shows
/// move with the traffic that went through an HTTP listener, and it refuses what it does not serve.
/// </summary>
public sealed class AdminApiTests(ITestOutputHelper output)
{
    private static readonly string Toml = HttpToml.WithWorkers(
        HttpToml.WithAdmin(HttpToml.Config(
            """
            [[listeners.http.virtual_hosts]]
            name = "all"
            domains = ["*"]
            routes = [
              { match = { path = "/hello" }, direct_response = { status = 200, body = "hi" } },
              { match = { prefix = "/" }, cluster = "app" },
            ]
            """,
            """
            [[clusters]]
            name = "app"
            hosts = ["127.0.0.1:9", { address = "127.0.0.1:10", weight = 3 }]
            """)),
        workers: 2);

    [Fact]
    public async Task EveryEndpointAnswersAndTheCountersFollowTheTraffic()
    {
        await using var proxy = await StartAsync();
        var admin = $"http://{proxy.ListenerAddress("admin")}";
        var web = $"http://{proxy.ListenerAddress()}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("hi", await http.GetStringAsync($"{web}/hello"));
        }

        Assert.Equal("LIVE\n", await http.GetStringAsync($"{admin}/ready"));
        Assert.Equal("ok\n", await http.GetStringAsync($"{admin}/healthz"));
        var help = await http.GetStringAsync($"{admin}/help");
        foreach (var path in new[] { "/ready", "/healthz", "/metrics", "/stats", "/listeners", "/clusters", "/config_dump" })
        {
            Assert.Contains(path, help);
        }

        var metrics = await http.GetAsync($"{admin}/metrics");
        Assert.StartsWith("text/plain", metrics.Content.Headers.ContentType!.ToString());
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("meshedge_http_requests_total{listener=\"inbound\"} 3", text);
        Assert.Contains("meshedge_http_responses_total{listener=\"inbound\",class=\"2xx\"} 3", text);
        Assert.Contains("meshedge_http_local_replies_total{listener=\"inbound\"} 3", text);
        Assert.Contains("meshedge_http_request_duration_seconds_count{listener=\"inbound\"} 3", text);
        Assert.Contains("# TYPE meshedge_http_request_duration_seconds histogram", text);
        Assert.Contains("meshedge_upstream_host_healthy{cluster=\"app\",host=\"127.0.0.1:10\"} 1", text);

        using var stats = JsonDocument.Parse(await http.GetStringAsync($"{admin}/stats"));
        var webStats = stats.RootElement.GetProperty("listeners").GetProperty("inbound");
        Assert.Equal(3, webStats.GetProperty("rq_total").GetInt64());
        Assert.Equal(3, webStats.GetProperty("rs_2xx").GetInt64());
        Assert.Equal(2, stats.RootElement.GetProperty("workers").GetInt32());
        Assert.True(stats.RootElement.GetProperty("gc_allocated_bytes").GetInt64() > 0);

        using var listeners = JsonDocument.Parse(await http.GetStringAsync($"{admin}/listeners"));
        var webListener = listeners.RootElement.EnumerateArray().Single(l => l.GetProperty("name").GetString() == "inbound");
        Assert.Equal("http", webListener.GetProperty("protocol").GetString());
        Assert.Equal(proxy.ListenerAddress().ToString(), webListener.GetProperty("address").GetString());

        using var clusters = JsonDocument.Parse(await http.GetStringAsync($"{admin}/clusters"));
        var hosts = clusters.RootElement[0].GetProperty("hosts");
        Assert.Equal("127.0.0.1:10", hosts[1].GetProperty("address").GetString());
        Assert.Equal(3, hosts[1].GetProperty("weight").GetInt32());
        Assert.Equal("round_robin", clusters.RootElement[0].GetProperty("lb_policy").GetString());

        using var dump = JsonDocument.Parse(await http.GetStringAsync($"{admin}/config_dump"));
        var route = dump.RootElement.GetProperty("listeners")[0].GetProperty("http").GetProperty("virtual_hosts")[0].GetProperty("routes")[0];
        Assert.Equal("/hello", route.GetProperty("match").GetProperty("path").GetString());
        Assert.Equal(15, route.GetProperty("timeout_s").GetDouble());

        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task UnknownPathsAndWritesAreRefused()
    {
        await using var proxy = await StartAsync();
        var admin = $"http://{proxy.ListenerAddress("admin")}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };

        var missing = await http.GetAsync($"{admin}/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("/help", await missing.Content.ReadAsStringAsync());

        var post = await http.PostAsync($"{admin}/stats", new StringContent("x"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);

        // A keep-alive connection serves one request after another.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{admin}/ready")).StatusCode);
        }

        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_request_head_split_over_two_reads_is_served()
    {
        await using var proxy = await StartAsync();
        using var client = await Loopback.ConnectAsync(proxy.ListenerAddress("admin"));

        await Loopback.SendAllAsync(client, "GET /ready HTTP/1.1\r\n"u8.ToArray());
        // The first part has been read by the admin listener (nothing of it left in the kernel) before the rest is sent.
        var (clientPort, adminPort) = (((IPEndPoint)client.LocalEndPoint!).Port, proxy.ListenerAddress("admin").Port);
        Assert.True(await Progress.WaitUntilAsync(() => KernelTcpQueues.InFlight(clientPort, adminPort) == 0, TimeSpan.FromSeconds(15)), "the admin listener never read the first part");
        await Loopback.SendAllAsync(client, "Host: admin\r\nConnection: close\r\n\r\n"u8.ToArray());
        var reply = await Loopback.ReceiveExactlyAsync(client, "HTTP/1.1 200 OK"u8.Length);

        Assert.Equal("HTTP/1.1 200 OK", System.Text.Encoding.ASCII.GetString(reply));
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_listener_cannot_take_the_admin_listeners_name()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("meshedge.toml", Toml.Replace("name = \"inbound\"", "name = \"admin\""));
        await using var proxy = ProxyProcess.Launch(["validate", "-c", path], output);

        Assert.Equal(2, await proxy.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains(proxy.StderrLines, line => line.Raw.Contains("listeners[0].name: \"admin\" is the admin listener's name; choose another"));
    }

    private Task<ProxyProcess> StartAsync() => ProxyProcess.StartTomlAsync(Toml, output);
}
