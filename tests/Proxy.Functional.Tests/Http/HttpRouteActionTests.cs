using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http;

/// <summary>What a matched route does: weighted clusters, direct responses, redirects, rewrites and header mutation.</summary>
public sealed class HttpRouteActionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Routes = """
        [[listeners.http.virtual_hosts]]
        name = "all"
        domains = ["*"]
        routes = [
          { match = { prefix = "/all-a" }, weighted_clusters = [{ cluster = "a", weight = 100 }, { cluster = "b", weight = 0 }] },
          { match = { prefix = "/split" }, weighted_clusters = [{ cluster = "a", weight = 50 }, { cluster = "b", weight = 50 }] },
          { match = { path = "/direct" }, direct_response = { status = 403, body = "not here" } },
          { match = { prefix = "/moved" }, redirect = { status = 301, host = "new.example.com", path = "/landing" } },
          { match = { prefix = "/same" }, redirect = { status = 302, scheme = "https" } },
          { match = { prefix = "/old/" }, prefix_rewrite = "/new/", cluster = "a" },
          { match = { prefix = "/host" }, host_rewrite = "backend.internal", cluster = "a" },
          { match = { prefix = "/headers" }, cluster = "a", request_headers_to_add = { x-env = "prod" }, request_headers_to_remove = ["x-secret"], response_headers_to_add = { x-served-by = "meshedge" }, response_headers_to_remove = ["x-remove-me"] },
        ]
        """;

    private ScriptedHttpBackend _a = null!;
    private ScriptedHttpBackend _b = null!;
    private ProxyProcess _proxy = null!;

    public async Task InitializeAsync()
    {
        _a = ScriptedHttpBackend.Start("a");
        _b = ScriptedHttpBackend.Start("b");
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(Routes, HttpToml.Cluster("a", _a.EndPoint), HttpToml.Cluster("b", _b.EndPoint)), output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _a.AssertNoErrors();
        _b.AssertNoErrors();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task Weights_of_100_and_0_send_everything_to_one_cluster()
    {
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal("a", (await HttpExchange.GetAsync(_proxy.ListenerAddress(), "/all-a")).Head.Get("x-backend"));
        }

        Assert.Equal(0, _b.Connections);
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Even_weights_split_requests_roughly_evenly()
    {
        var counts = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0 };
        for (var i = 0; i < 200; i++)
        {
            counts[(await HttpExchange.GetAsync(_proxy.ListenerAddress(), "/split")).Head.Get("x-backend")!]++;
        }

        // 50/50 over 200: below 50 on either side is beyond eight standard deviations.
        Assert.True(counts["a"] >= 50 && counts["b"] >= 50, $"a={counts["a"]} b={counts["b"]}");
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_direct_response_is_answered_by_the_proxy_on_a_kept_connection()
    {
        using var client = await RawHttpClient.ConnectAsync(_proxy.ListenerAddress());
        for (var i = 0; i < 2; i++)
        {
            await client.SendAsync(HttpExchange.Request("GET", "/direct", "test"));
            var response = await client.ReadResponseAsync();
            Assert.Equal(403, response.Status);
            Assert.Equal("not here", response.BodyText);
            Assert.False(response.Closes);
        }

        Assert.Equal(0, _a.Connections + _b.Connections);
        client.Dispose();
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_redirect_carries_the_rewritten_location()
    {
        var moved = await HttpExchange.GetAsync(_proxy.ListenerAddress(), "/moved/x?y=1", "old.example.com");
        var same = await HttpExchange.GetAsync(_proxy.ListenerAddress(), "/same/page?q=2", "shop.example.com:8080");

        Assert.Equal(301, moved.Status);
        Assert.Equal("http://new.example.com/landing", moved.Head.Get("location"));
        Assert.Equal(302, same.Status);
        Assert.Equal("https://shop.example.com:8080/same/page?q=2", same.Head.Get("location"));
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_prefix_rewrite_replaces_the_matched_prefix_and_keeps_the_rest()
    {
        var response = await HttpExchange.GetAsync(_proxy.ListenerAddress(), "/old/path/x?y=1");

        Assert.Equal("/new/path/x?y=1", response.EchoedRequest.Target);
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_host_rewrite_replaces_the_host_header()
    {
        var response = await HttpExchange.GetAsync(_proxy.ListenerAddress(), "/host", "public.example.com");

        Assert.Equal(["backend.internal"], response.EchoedRequest.GetAll("host"));
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Request_and_response_headers_are_added_and_removed()
    {
        var response = await HttpExchange.GetAsync(_proxy.ListenerAddress(), "/headers", "test", "X-Secret: s3cret", "x-keep: yes");

        var received = response.EchoedRequest;
        Assert.Equal("prod", received.Get("x-env"));
        Assert.False(received.Has("x-secret"));
        Assert.Equal("yes", received.Get("x-keep"));
        Assert.Equal("meshedge", response.Head.Get("x-served-by"));
        Assert.False(response.Head.Has("x-remove-me"));
        Assert.Equal("a", response.Head.Get("x-backend"));
        await _proxy.StopCleanlyAsync();
    }
}
