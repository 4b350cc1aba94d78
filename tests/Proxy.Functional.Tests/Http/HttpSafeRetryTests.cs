using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http;

/// <summary>
/// Retries made with no retry policy (issue 18 item 6): an idempotent request whose reused keep-alive
/// connection is lost before any response byte goes to another host, or a new connection, as nginx's
/// default does; a POST in the same spot is not replayed. The backends answer each connection's
/// first request as if the connection stays, then reset it as soon as the next request arrives,
/// unread: the stale keep-alive race (an upstream closing an idle connection as the proxy reuses it),
/// made certain.
/// </summary>
public sealed class HttpSafeRetryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ScriptedHttpBackend _first = ScriptedHttpBackend.Start("first");
    private readonly ScriptedHttpBackend _second = ScriptedHttpBackend.Start("second");
    private readonly TempDirectory _directory = new();

    public Task InitializeAsync()
    {
        _first.Script = _ => "drop-next";
        _second.Script = _ => "drop-next";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _first.AssertNoErrors();
        _second.AssertNoErrors();
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_GET_on_a_stale_keep_alive_connection_is_retried_on_a_new_one_to_the_only_host()
    {
        await using var proxy = await StartAsync(_first.EndPoint);
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("GET", "/one", "test"));
        var first = await client.ReadResponseAsync();
        await client.SendAsync(HttpExchange.Request("GET", "/two", "test"));
        var second = await client.ReadResponseAsync();

        Assert.True(first.Status == 200, first.Head.ToString());
        Assert.True(second.Status == 200, $"a GET on the reused, stale connection: {second.Head}");

        // The backend saw /two once, as the first request of a new connection: the stale one dropped it unread.
        Assert.Equal(["/one", "/two"], _first.Requests.Select(r => r.Head.Target));
        Assert.Equal("1", second.Head.Get("x-connection-request"));
        Assert.Equal(2, _first.Connections);
        client.Dispose();
        await proxy.StopCleanlyAsync();
        var stats = proxy.ClusterStats();
        Assert.Equal((1L, 1L), (stats.RequireLong("upstream_rq_retry"), stats.RequireLong("upstream_rq_retry_reset_before_response")));

        // Envoy flags only a final failure: the retried request logs as the success it was.
        Assert.Equal(["GET /one 200 -", "GET /two 200 -"], await AccessLogAsync());
    }

    [Fact]
    public async Task A_GET_on_a_stale_keep_alive_connection_is_retried_on_the_other_host()
    {
        await using var proxy = await StartAsync(_first.EndPoint, _second.EndPoint);
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());

        // Round robin: the first two requests open a connection to each host; the third reuses the
        // first host's, which is stale.
        var responses = new List<RawResponse>();
        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync(HttpExchange.Request("GET", $"/{i}", "test"));
            responses.Add(await client.ReadResponseAsync());
            Assert.True(responses[i].Status == 200, $"request {i}: {responses[i].Head}");
        }

        Assert.NotEqual(responses[0].Head.Get("x-backend"), responses[2].Head.Get("x-backend"));
        Assert.Equal("1", responses[2].Head.Get("x-connection-request"));
        Assert.Equal(3, _first.Requests.Count + _second.Requests.Count);
        client.Dispose();
        await proxy.StopCleanlyAsync();
        Assert.Equal(1, proxy.ClusterStats().RequireLong("upstream_rq_retry_reset_before_response"));
    }

    [Fact]
    public async Task A_POST_on_a_stale_keep_alive_connection_is_502_and_not_replayed()
    {
        await using var proxy = await StartAsync(_first.EndPoint, _second.EndPoint);
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("GET", "/0", "test"));
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
        await client.SendAsync(HttpExchange.Request("GET", "/1", "test"));
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);

        // No body, so only the method keeps it from being replayed: it may have reached the upstream.
        await client.SendAsync(HttpExchange.Request("POST", "/order", "test", "content-length: 0"));
        var post = await client.ReadResponseAsync();

        Assert.True(post.Status == 502, $"a POST on the reused, stale connection: {post.Head}");
        Assert.Equal(2, _first.Requests.Count + _second.Requests.Count);
        Assert.DoesNotContain(_first.Requests.Concat(_second.Requests), r => r.Head.Method == "POST");
        client.Dispose();
        await proxy.StopCleanlyAsync();
        var stats = proxy.ClusterStats();
        Assert.Equal((0L, 0L), (stats.RequireLong("upstream_rq_retry"), stats.RequireLong("upstream_rq_retry_reset_before_response")));
        Assert.Equal("POST /order 502 UC", (await AccessLogAsync())[^1]);
    }

    private Task<ProxyProcess> StartAsync(params System.Net.IPEndPoint[] hosts)
    {
        var accessLog = $"access_log = {{ path = \"{_directory.PathOf("access.log")}\", format = \"%REQ(:METHOD)% %REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS%\" }}\n";
        return ProxyProcess.StartTomlAsync(HttpToml.Config(accessLog + HttpToml.CatchAll(), HttpToml.Cluster("app", hosts)), output);
    }

    private async Task<string[]> AccessLogAsync() => await File.ReadAllLinesAsync(_directory.PathOf("access.log"));
}
