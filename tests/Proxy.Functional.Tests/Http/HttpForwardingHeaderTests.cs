using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http;

/// <summary>The headers the proxy adds (x-forwarded-for, x-forwarded-proto, x-request-id) and those it must not forward (hop-by-hop).</summary>
public sealed class HttpForwardingHeaderTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ScriptedHttpBackend _backend = null!;
    private ProxyProcess _proxy = null!;

    public async Task InitializeAsync()
    {
        _backend = ScriptedHttpBackend.Start();
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", _backend.EndPoint)), output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _backend.AssertNoErrors();
        await _backend.DisposeAsync();
    }

    [Fact]
    public async Task Forwarded_headers_are_added_and_an_existing_chain_is_extended()
    {
        var fresh = (await HttpExchange.GetAsync(_proxy.ListenerAddress(), "/")).EchoedRequest;
        var chained = (await HttpExchange.GetAsync(_proxy.ListenerAddress(), "/", "test", "X-Forwarded-For: 203.0.113.7", "X-Forwarded-Proto: https")).EchoedRequest;

        Assert.Equal(["127.0.0.1"], fresh.GetAll("x-forwarded-for"));
        Assert.Equal(["http"], fresh.GetAll("x-forwarded-proto"));
        Assert.Equal(["203.0.113.7, 127.0.0.1"], chained.GetAll("x-forwarded-for"));
        Assert.Equal(["http"], chained.GetAll("x-forwarded-proto"));
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_request_id_is_generated_when_missing_and_kept_when_present()
    {
        var first = (await HttpExchange.GetAsync(_proxy.ListenerAddress(), "/")).EchoedRequest.Get("x-request-id");
        var second = (await HttpExchange.GetAsync(_proxy.ListenerAddress(), "/")).EchoedRequest.Get("x-request-id");
        var kept = (await HttpExchange.GetAsync(_proxy.ListenerAddress(), "/", "test", "X-Request-Id: abc-123")).EchoedRequest;

        Assert.False(string.IsNullOrEmpty(first));
        Assert.NotEqual(first, second);
        Assert.Equal(["abc-123"], kept.GetAll("x-request-id"));
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Hop_by_hop_headers_are_not_forwarded()
    {
        var received = (await HttpExchange.GetAsync(
            _proxy.ListenerAddress(),
            "/",
            "test",
            "Connection: keep-alive, X-Hop-Only",
            "Keep-Alive: timeout=5",
            "X-Hop-Only: 1",
            "Proxy-Connection: keep-alive",
            "TE: trailers",
            "X-End-To-End: 1")).EchoedRequest;

        Assert.False(received.Has("connection"), received.Raw);
        Assert.False(received.Has("keep-alive"), received.Raw);
        Assert.False(received.Has("x-hop-only"), received.Raw);
        Assert.False(received.Has("proxy-connection"), received.Raw);
        Assert.Equal("1", received.Get("x-end-to-end"));
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_head_with_many_long_fields_is_forwarded_whole()
    {
        var fields = Enumerable.Range(0, 80).Select(i => $"X-Field-{i}: {new string((char)('a' + (i % 26)), 100)}").ToArray();

        var received = (await HttpExchange.GetAsync(_proxy.ListenerAddress(), "/many", "test", fields)).EchoedRequest;

        for (var i = 0; i < fields.Length; i++)
        {
            Assert.Equal(new string((char)('a' + (i % 26)), 100), received.Get($"x-field-{i}"));
        }

        await _proxy.StopCleanlyAsync();
    }
}
