using System.Net.Http.Headers;
using System.Security.Cryptography;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http;

/// <summary>
/// Message framing through the proxy: chunked and close-delimited responses, HEAD, a mix of local and
/// proxied answers pipelined on one connection, absolute-form targets, and many concurrent uploads
/// from .NET's HttpClient checked by the backend's checksum.
/// </summary>
public sealed class HttpMessageFramingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Routes = """
        [[listeners.http.virtual_hosts]]
        name = "all"
        domains = ["*"]
        routes = [
          { match = { path = "/direct" }, direct_response = { status = 200, body = "direct" } },
          { match = { prefix = "/" }, cluster = "app" },
        ]
        """;

    private readonly ScriptedHttpBackend _backend = ScriptedHttpBackend.Start();
    private ProxyProcess _proxy = null!;

    public async Task InitializeAsync()
    {
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(Routes, HttpToml.Cluster("app", _backend.EndPoint)).Replace("workers = 1", "workers = 2"), output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _backend.AssertNoErrorsAndDisposeAsync();
    }

    [Fact]
    public async Task A_chunked_response_passes_through_with_its_trailer_and_the_connection_stays()
    {
        using var client = await RawHttpClient.ConnectAsync(_proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("GET", "/chunked", "test", "x-action: chunked"));
        var chunked = await client.ReadResponseAsync();
        await client.SendAsync(HttpExchange.Request("GET", "/after", "test"));
        var after = await client.ReadResponseAsync();

        Assert.True(chunked.Head.IsChunked, chunked.Head.Raw);
        Assert.Equal("/chunked", chunked.EchoedRequest.Target);
        Assert.Equal("/after", after.EchoedRequest.Target);
        client.Dispose();
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_close_delimited_response_reaches_the_client_which_is_then_closed()
    {
        using var client = await RawHttpClient.ConnectAsync(_proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("GET", "/until-close", "test", "x-action: until-close"));
        var response = await client.ReadResponseAsync();

        Assert.Equal("/until-close", response.EchoedRequest.Target);
        Assert.True(response.Closes || response.Head.ContentLength is null, response.Head.Raw);
        client.Dispose();
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_head_response_has_no_body_and_the_next_request_follows_on_both_connections()
    {
        using var client = await RawHttpClient.ConnectAsync(_proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("HEAD", "/head", "test"));
        var head = await client.ReadResponseAsync(headRequest: true);
        await client.SendAsync(HttpExchange.Request("GET", "/after", "test"));
        var after = await client.ReadResponseAsync();

        Assert.Equal(200, head.Status);
        Assert.NotNull(head.Head.ContentLength);
        Assert.Equal("/after", after.EchoedRequest.Target);
        Assert.Equal("2", after.Head.Get("x-connection-request"));
        client.Dispose();
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Pipelined_local_and_proxied_answers_keep_their_order()
    {
        using var client = await RawHttpClient.ConnectAsync(_proxy.ListenerAddress());

        await client.SendAsync(
            HttpExchange.Request("GET", "/direct", "test")
            + HttpExchange.Request("POST", "/one", "test", "Content-Length: 5") + "hello"
            + HttpExchange.Request("GET", "/direct", "test")
            + HttpExchange.Request("GET", "/two", "test"));

        Assert.Equal("direct", (await client.ReadResponseAsync()).BodyText);
        var one = await client.ReadResponseAsync();
        Assert.Equal("/one", one.EchoedRequest.Target);
        Assert.Equal("5", one.Head.Get("x-body-length"));
        Assert.Equal("direct", (await client.ReadResponseAsync()).BodyText);
        Assert.Equal("/two", (await client.ReadResponseAsync()).EchoedRequest.Target);
        client.Dispose();
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task An_absolute_form_target_is_routed_by_its_path()
    {
        var direct = await HttpExchange.GetAsync(_proxy.ListenerAddress(), "http://test/direct", "test");
        var proxied = await HttpExchange.GetAsync(_proxy.ListenerAddress(), "http://api.example.com:81/echo?x=1", "ignored.example.com");
        var bare = await HttpExchange.GetAsync(_proxy.ListenerAddress(), "http://api.example.com", "ignored.example.com");

        Assert.Equal("direct", direct.BodyText);
        Assert.Equal("/echo?x=1", proxied.EchoedRequest.Target);
        Assert.Equal(["api.example.com:81"], proxied.EchoedRequest.GetAll("host"));
        Assert.Equal("/", bare.EchoedRequest.Target);
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Concurrent_uploads_from_httpclient_arrive_byte_exact()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var uploads = Enumerable.Range(0, 40).Select(async i =>
        {
            var body = new byte[(i * 7919) % 300_000];
            new Random(i).NextBytes(body);
            using var content = new ByteArrayContent(body);
            if (i % 2 == 0)
            {
                content.Headers.ContentLength = null; // chunked
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, $"http://{_proxy.ListenerAddress()}/upload/{i}") { Content = content };
            request.Headers.TransferEncodingChunked = i % 2 == 0;
            using var response = await http.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), response.Headers.GetValues("x-body-sha256").Single());
        });

        await Task.WhenAll(uploads);
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_chunked_request_with_extensions_and_trailers_reaches_the_backend_whole()
    {
        using var client = await RawHttpClient.ConnectAsync(_proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("POST", "/chunks", "test", "Transfer-Encoding: chunked")
            + "5;name=value\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: done\r\n\r\n"
            + HttpExchange.Request("GET", "/after", "test"));
        var posted = await client.ReadResponseAsync();
        var after = await client.ReadResponseAsync();

        Assert.Equal("11", posted.Head.Get("x-body-length"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("hello world"u8.ToArray())), posted.Head.Get("x-body-sha256"));
        Assert.Equal("/after", after.EchoedRequest.Target);
        Assert.Equal("2", after.Head.Get("x-connection-request"));
        client.Dispose();
        await _proxy.StopCleanlyAsync();
    }
}
