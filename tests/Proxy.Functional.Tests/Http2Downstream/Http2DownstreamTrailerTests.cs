using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http2Downstream;

/// <summary>
/// Response trailers on their way down, which gRPC's grpc-status depends on: an HTTP/1.1 upstream's
/// chunked trailer reaches an h2 client as a trailing HEADERS frame, and an HTTP/1.1 client gets it
/// in the last chunk only when it said TE: trailers (Envoy's rule).
/// </summary>
public sealed class Http2DownstreamTrailerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ScriptedHttpBackend _backend = null!;
    private ProxyProcess _proxy = null!;

    private string Url(string path) => $"http://{_proxy.ListenerAddress()}{path}";

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
    public async Task An_upstream_chunked_trailer_reaches_an_h2_client_as_trailing_headers()
    {
        var nghttp = await ToolRun.RunAsync("nghttp", ["-v", "-H", "x-action: chunked", Url("/chunked")], TimeSpan.FromMinutes(1));

        Assert.True(nghttp.ExitCode == 0, nghttp.ToString());
        // nghttp prints a block's fields before the frame line: the trailer, then HEADERS with END_STREAM.
        Assert.Matches(@"x-checksum: 42\s*\n.*recv HEADERS frame <[^>]*flags=0x05", nghttp.Stdout);

        // What reached the upstream: HTTP/1.1 with the h2 request's authority as Host.
        Assert.Contains("GET /chunked HTTP/1.1", nghttp.Stdout, StringComparison.Ordinal);
        Assert.Contains($"host: {_proxy.ListenerAddress()}", nghttp.Stdout, StringComparison.OrdinalIgnoreCase);
        await _proxy.StopCleanlyAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_http_1_1_client_gets_the_trailer_only_with_te_trailers(bool teTrailers)
    {
        string[] te = teTrailers ? ["-H", "TE: trailers"] : [];

        var curl = await ToolRun.CurlAsync(["-f", "--raw", "-H", "x-action: chunked", .. te, Url("/chunked")]);

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal(teTrailers, curl.Stdout.Contains("x-checksum: 42", StringComparison.Ordinal));
        await _proxy.StopCleanlyAsync();
    }
}
