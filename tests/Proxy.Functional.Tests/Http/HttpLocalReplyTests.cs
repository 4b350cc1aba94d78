using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http;

/// <summary>
/// Replies the proxy makes itself when it cannot or must not forward: the status, and whether the
/// client connection survives (it does for 404 and upstream failures after a complete request; it does
/// not for a request the proxy could not read to its end).
/// </summary>
public sealed class HttpLocalReplyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ScriptedHttpBackend _backend = ScriptedHttpBackend.Start();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _backend.AssertNoErrorsAndDisposeAsync();

    [Fact]
    public async Task No_matching_route_is_404_and_the_connection_stays()
    {
        const string Http = """
            [[listeners.http.virtual_hosts]]
            name = "only"
            domains = ["only.example.com"]
            routes = [{ match = { prefix = "/api" }, cluster = "app" }]
            """;
        await using var proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(Http, HttpToml.Cluster("app", _backend.EndPoint)), output);
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("GET", "/api", "elsewhere.example.com"));
        Assert.Equal(404, (await client.ReadResponseAsync()).Status);
        await client.SendAsync(HttpExchange.Request("GET", "/other", "only.example.com"));
        Assert.Equal(404, (await client.ReadResponseAsync()).Status);
        await client.SendAsync(HttpExchange.Request("GET", "/api", "only.example.com"));
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);

        client.Dispose();
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_refused_connect_is_502()
    {
        await using var proxy = await StartAsync(HttpToml.Cluster("app", RefusingPort.Allocate()));

        var response = await HttpExchange.GetAsync(proxy.ListenerAddress(), "/");

        Assert.Equal(502, response.Status);
        await proxy.StopCleanlyAsync();
    }

    [Theory]
    [InlineData("reset")]
    [InlineData("invalid")]
    [InlineData("cl-and-te")]
    public async Task An_upstream_that_resets_or_answers_garbage_is_502_and_the_client_keeps_its_connection(string action)
    {
        await using var proxy = await StartAsync(HttpToml.Cluster("app", _backend.EndPoint));
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("GET", "/", "test", "x-action: " + action));
        Assert.Equal(502, (await client.ReadResponseAsync()).Status);
        await client.SendAsync(HttpExchange.Request("GET", "/", "test"));
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);

        client.Dispose();
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_full_circuit_breaker_is_503_while_the_request_holding_it_completes()
    {
        await using var proxy = await StartAsync(HttpToml.Cluster("app", [_backend.EndPoint], "circuit_breakers = { max_connections = 1 }"));
        var slow = HttpExchange.GetAsync(proxy.ListenerAddress(), "/slow", "test", "x-action: delay:2000");
        Assert.True(await Progress.WaitUntilAsync(() => _backend.Requests.Count == 1, TimeSpan.FromSeconds(15)), "the slow request never reached the backend");

        var overflow = await HttpExchange.GetAsync(proxy.ListenerAddress(), "/");

        Assert.Equal(503, overflow.Status);
        Assert.Equal(200, (await slow).Status);
        await proxy.StopCleanlyAsync();
        Assert.Equal(1, proxy.ClusterStats().RequireLong("upstream_cx_overflow"));
    }

    [Fact]
    public async Task A_response_head_later_than_the_route_timeout_is_504()
    {
        await using var proxy = await StartAsync(HttpToml.Cluster("app", _backend.EndPoint), routeExtras: "timeout = \"300ms\"");

        var response = await HttpExchange.GetAsync(proxy.ListenerAddress(), "/", "test", "x-action: delay:5000");

        Assert.Equal(504, response.Status);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_request_head_not_complete_in_time_is_408_and_a_close()
    {
        await using var proxy = await StartAsync(HttpToml.Cluster("app", _backend.EndPoint), http: "request_headers_timeout = \"300ms\"");
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());

        await client.SendAsync("GET / HTTP/1.1\r\nHost: slow\r\n");

        Assert.Equal(408, (await client.ReadResponseAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());
        client.Dispose();
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_declared_body_over_the_limit_is_413_and_a_close()
    {
        await using var proxy = await StartAsync(HttpToml.Cluster("app", _backend.EndPoint), http: "max_request_body_size = \"1KiB\"");
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("POST", "/", "test", "Content-Length: 5000"));

        Assert.Equal(413, (await client.ReadResponseAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());
        Assert.Empty(_backend.Requests);
        client.Dispose();
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_client_still_sending_its_body_reads_the_413_intact()
    {
        await using var proxy = await StartAsync(HttpToml.Cluster("app", _backend.EndPoint), http: "max_request_body_size = \"1KiB\"");
        using var scratch = new TempDirectory();
        var upload = scratch.Write("upload.bin", new string('x', 8 * 1024 * 1024));

        // No Expect: the body follows the head at once, and the reply must not be lost to a reset.
        var curl = await ToolRun.CurlAsync("-o", "/dev/null", "-w", "%{http_code}", "-H", "Expect:", "--data-binary", "@" + upload, $"http://{proxy.ListenerAddress()}/");

        Assert.True(curl.Stdout == "413", curl.ToString());
        Assert.Empty(_backend.Requests);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task An_upstream_answering_before_the_body_is_in_reaches_a_client_still_sending()
    {
        await using var proxy = await StartAsync(HttpToml.Cluster("app", _backend.EndPoint));
        using var scratch = new TempDirectory();
        var upload = scratch.Write("upload.bin", new string('x', 8 * 1024 * 1024));

        var curl = await ToolRun.CurlAsync("-o", "/dev/null", "-w", "%{http_code}", "-H", "Expect:", "-H", "x-action: reject:403", "--data-binary", "@" + upload, $"http://{proxy.ListenerAddress()}/");

        Assert.True(curl.Stdout == "403", curl.ToString());
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_head_over_the_size_limit_is_431_and_a_close()
    {
        await using var proxy = await StartAsync(HttpToml.Cluster("app", _backend.EndPoint), http: "max_request_headers_size = \"4KiB\"");
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("GET", "/", "test", "X-Huge: " + new string('a', 6000)));

        Assert.Equal(431, (await client.ReadResponseAsync()).Status);
        Assert.True(await client.WaitForCloseAsync());
        Assert.Empty(_backend.Requests);
        client.Dispose();
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_truncated_upstream_body_cuts_the_client_connection()
    {
        await using var proxy = await StartAsync(HttpToml.Cluster("app", _backend.EndPoint));

        var curl = await ToolRun.CurlAsync("-o", "/dev/null", "-H", "x-action: truncate", $"http://{proxy.ListenerAddress()}/");

        // 18: "Partial file. Only a part of the file was transferred."
        Assert.True(curl.ExitCode == 18, curl.ToString());
        await proxy.StopCleanlyAsync();
    }

    private Task<ProxyProcess> StartAsync(string cluster, string http = "", string routeExtras = "") =>
        ProxyProcess.StartTomlAsync(HttpToml.CatchAllConfig(cluster, http, routeExtras), output);
}
