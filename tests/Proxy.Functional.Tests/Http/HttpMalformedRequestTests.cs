using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http;

/// <summary>
/// Requests that are malformed or ambiguous about where they end get 400 (505 for an unknown version) and a close, so nothing
/// after them can be read as a second request (smuggling); the request that follows on the same
/// connection must never reach the backend.
/// </summary>
public sealed class HttpMalformedRequestTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ScriptedHttpBackend _backend = ScriptedHttpBackend.Start();
    private ProxyProcess _proxy = null!;

    public static TheoryData<string, string, int> Cases => new()
    {
        { "garbage", "NOT HTTP AT ALL\r\n\r\n", 400 },
        { "content-length and transfer-encoding", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        { "two different content-lengths", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400 },
        { "obs-fold", "GET / HTTP/1.1\r\nHost: t\r\nX-Folded: a\r\n b\r\n\r\n", 400 },
        { "bare LF in a field", "GET / HTTP/1.1\r\nHost: t\nX-A: 1\r\n\r\n", 400 },
        { "space before colon", "GET / HTTP/1.1\r\nHost : t\r\n\r\n", 400 },
        { "bad chunk size", "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400 },
        { "chunked not last", "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 400 },
        { "no host in HTTP/1.1", "GET / HTTP/1.1\r\nX-A: 1\r\n\r\n", 400 },
        { "two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
        { "negative content-length", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n", 400 },
        { "content-length list", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1, 2\r\n\r\nab", 400 },
        { "invalid method token", "G@T / HTTP/1.1\r\nHost: t\r\n\r\n", 400 },
        { "control character in a value", "GET / HTTP/1.1\r\nHost: t\r\nX-A: a\u0001b\r\n\r\n", 400 },
        { "bare CR", "GET / HTTP/1.1\r\nHost: t\rX-A: 1\r\n\r\n", 400 },
        { "unknown version", "GET / HTTP/2.7\r\nHost: t\r\n\r\n", 505 },
        { "chunk size overflow", "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nx\r\n0\r\n\r\n", 400 },
    };

    public async Task InitializeAsync()
    {
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", _backend.EndPoint)), output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _backend.AssertNoErrorsAndDisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_malformed_request_is_400_and_a_close(string name, string request, int status)
    {
        using var client = await RawHttpClient.ConnectAsync(_proxy.ListenerAddress());

        await client.SendAsync(request + "GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n");

        var response = await client.ReadResponseAsync();
        Assert.True(response.Status == status, $"{name}: {response.Head}");
        Assert.True(await client.WaitForCloseAsync(), $"{name}: the connection stayed open after the {status}");
        Assert.DoesNotContain(_backend.Requests, r => r.Head.Target == "/smuggled");
        client.Dispose();
        await _proxy.StopCleanlyAsync();
        Assert.Equal(1, _proxy.HttpListenerStats().RequireLong("rq_bad"));
    }

    [Fact]
    public async Task A_400_after_a_head_request_still_carries_its_body()
    {
        using var client = await RawHttpClient.ConnectAsync(_proxy.ListenerAddress());
        await client.SendAsync(HttpExchange.Request("HEAD", "/", "test"));
        Assert.Equal(200, (await client.ReadResponseAsync(headRequest: true)).Status);

        await client.SendAsync("NOT HTTP AT ALL\r\n\r\n");

        var response = await client.ReadResponseAsync();
        Assert.Equal(400, response.Status);
        Assert.Equal(response.Head.ContentLength, response.Body.Length);
        client.Dispose();
        await _proxy.StopCleanlyAsync();
    }
}
