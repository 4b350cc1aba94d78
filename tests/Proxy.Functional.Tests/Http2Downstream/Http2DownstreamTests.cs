using System.Security.Cryptography;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http2Downstream;

/// <summary>
/// HTTP/2 clients through the proxy to nginx over HTTP/1.1: curl with prior knowledge (h2c), h2load
/// with many concurrent streams, nghttp, and python3-h2 for a reset mid-request. Bodies are compared
/// byte for byte; the nginx log counts what reached the upstream; every exit checks the buffer pool.
/// </summary>
public sealed partial class Http2DownstreamTests(ITestOutputHelper output) : IAsyncLifetime
{
    private NginxProcess _nginx = null!;
    private ProxyProcess _proxy = null!;
    private readonly TempDirectory _scratch = new();

    private string AccessLogPath => _scratch.PathOf("access.log");

    private string Url(string path) => $"http://{_proxy.ListenerAddress()}{path}";

    public async Task InitializeAsync()
    {
        _nginx = await NginxProcess.StartAsync();
        var http = $$"""
            access_log = { path = "{{AccessLogPath}}", format = "%REQ(:METHOD)% %REQ(:PATH)% %PROTOCOL% %RESPONSE_CODE% %REQ(:AUTHORITY)%" }
            {{HttpToml.CatchAll()}}
            """;
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(http, HttpToml.Cluster("app", _nginx.EndPoint)), output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        output.WriteLine(_nginx.Describe());
        await _nginx.DisposeAsync();
        _scratch.Dispose();
    }

    [Fact]
    public async Task Curl_with_prior_knowledge_downloads_byte_exact_over_h2_and_the_log_says_HTTP_2()
    {
        var served = _nginx.WriteFile("big.bin", 3 * 1024 * 1024 + 17, seed: 1);
        var saved = _scratch.PathOf("big.bin");

        var curl = await ToolRun.CurlAsync("-f", "--http2-prior-knowledge", "-w", "%{http_version}", "-o", saved, Url("/big.bin"));

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal("2", curl.Stdout.Trim());
        Assert.Equal(SHA256.HashData(served), SHA256.HashData(File.ReadAllBytes(saved)));
        await _proxy.StopCleanlyAsync();
        Assert.Contains($"GET /big.bin HTTP/2 200 {_proxy.ListenerAddress()}", File.ReadAllText(AccessLogPath), StringComparison.Ordinal);
        var h2 = Http2Stats();
        Assert.Equal(1, h2.RequireLong("cx_http2_total"));
        Assert.Equal(1, h2.RequireLong("rq_http2_total"));
    }

    [Fact]
    public async Task Curl_with_prior_knowledge_uploads_a_large_body_that_reaches_nginx_byte_exact()
    {
        var upload = new byte[4 * 1024 * 1024 + 3];
        new Random(2).NextBytes(upload);
        var source = _scratch.PathOf("upload.bin");
        File.WriteAllBytes(source, upload);

        var curl = await ToolRun.CurlAsync("-f", "--http2-prior-knowledge", "-T", source, Url("/up/h2.bin"));

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal(SHA256.HashData(upload), SHA256.HashData(File.ReadAllBytes(Path.Combine(_nginx.Root, "up", "h2.bin"))));
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task H2load_with_sixteen_streams_per_connection_fails_nothing_and_every_request_reaches_nginx()
    {
        Directory.CreateDirectory(Path.Combine(_nginx.Root, "counted"));
        _nginx.WriteFile("counted/small.bin", 700, seed: 3);

        var h2load = await ToolRun.RunAsync("h2load", ["-n", "2000", "-c", "4", "-m", "16", Url("/counted/small.bin")], TimeSpan.FromMinutes(3));

        Assert.True(h2load.ExitCode == 0, h2load.ToString());
        Assert.Matches(@"requests: 2000 total, 2000 started, 2000 done, 2000 succeeded, 0 failed, 0 errored", h2load.Stdout);
        Assert.Matches(@"status codes: 2000 2xx", h2load.Stdout);
        await _proxy.StopCleanlyAsync();
        Assert.Equal(2000, _nginx.CountedServed());
        var h2 = Http2Stats();
        Assert.Equal(4, h2.RequireLong("cx_http2_total"));
        Assert.Equal(2000, h2.RequireLong("streams_opened"));
        Assert.Equal(0, h2.RequireLong("resets_sent"));
    }

    [Fact]
    public async Task Nghttp_streams_an_upload_and_a_download()
    {
        var upload = new byte[3 * 1024 * 1024 + 5];
        new Random(4).NextBytes(upload);
        var source = _scratch.PathOf("nghttp-up.bin");
        File.WriteAllBytes(source, upload);
        var served = _nginx.WriteFile("down.bin", 2 * 1024 * 1024 + 9, seed: 5);

        var put = await ToolRun.RunAsync("nghttp", ["-v", "-H", ":method: PUT", "-d", source, Url("/up/nghttp.bin")], TimeSpan.FromMinutes(2));
        var get = await ToolRun.RunAsync("nghttp", ["-n", "-v", Url("/down.bin")], TimeSpan.FromMinutes(2));

        Assert.True(put.ExitCode == 0, put.ToString());
        Assert.Matches(@":status: 20[14]", put.Stdout);
        Assert.Equal(SHA256.HashData(upload), SHA256.HashData(File.ReadAllBytes(Path.Combine(_nginx.Root, "up", "nghttp.bin"))));
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Contains(":status: 200", get.Stdout, StringComparison.Ordinal);
        Assert.Matches($@"content-length: {served.Length}\b", get.Stdout);
        Assert.Matches(@"recv DATA frame <[^>]*flags=0x01", get.Stdout);
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_stream_reset_mid_upload_cancels_its_exchange_and_the_connection_serves_the_next_stream()
    {
        Directory.CreateDirectory(Path.Combine(_nginx.Root, "counted"));
        var after = _nginx.WriteFile("counted/after.bin", 5000, seed: 6);
        using var probe = H2Probe.Start(_scratch, "reset", _proxy.ListenerAddress().Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "/counted/cut.bin", "/counted/after.bin");

        await probe.SentAsync();
        var result = await probe.ResultAsync();

        Assert.Equal(200, result.GetProperty("after_status").GetInt32());
        Assert.Equal(after.Length, result.GetProperty("after_length").GetInt32());

        // The exchange let its upstream request go at once: nginx logs the cut upload when its
        // connection closes (long before the route timeout), and stored nothing of it.
        Assert.True(await Progress.WaitUntilAsync(() => _nginx.CountedServed() == 2, TimeSpan.FromSeconds(10)),
            $"nginx logged {_nginx.CountedServed()} requests: the cancelled upload's upstream request is still open\n{_proxy.Describe()}");
        Assert.False(File.Exists(Path.Combine(_nginx.Root, "counted", "cut.bin")), "the cancelled upload reached nginx whole");
        await _proxy.StopCleanlyAsync();
        var h2 = Http2Stats();
        Assert.Equal(1, h2.RequireLong("resets_received"));
        var log = File.ReadAllText(AccessLogPath);
        Assert.Matches(@"PUT /counted/cut.bin HTTP/2 0 ", log);
    }

    [Fact]
    public async Task An_upload_to_a_stalled_upstream_holds_its_own_stream_and_the_connection_serves_another()
    {
        await using var slow = await NginxProcess.StartAsync();
        Directory.CreateDirectory(Path.Combine(_nginx.Root, "counted"));
        var fast = _nginx.WriteFile("counted/fast.bin", 9000, seed: 9);
        var http = $$"""
            [[listeners.http.virtual_hosts]]
            name = "all"
            domains = ["*"]
            [[listeners.http.virtual_hosts.routes]]
            match = { prefix = "/slow/" }
            cluster = "slow"
            [[listeners.http.virtual_hosts.routes]]
            match = { prefix = "/" }
            cluster = "app"
            """;
        await using var proxy = await ProxyProcess.StartTomlAsync(
            HttpToml.Config(http, HttpToml.Cluster("app", _nginx.EndPoint), HttpToml.Cluster("slow", slow.EndPoint)), output);
        slow.Freeze();
        try
        {
            using var probe = H2Probe.Start(_scratch, "stall", proxy.ListenerAddress().Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "/slow/up.bin", "/counted/fast.bin");
            await probe.SentAsync();
            var result = await probe.ResultAsync();

            // The stream's window stayed shut once the proxy held what its buffers take: the client
            // could not push the 64 MiB it had, and the other stream went through.
            var stalledAfter = result.GetProperty("stalled_after").GetInt64();
            Assert.True(stalledAfter < 16 * 1024 * 1024, $"the client sent {stalledAfter} bytes to an upstream that reads nothing");
            Assert.Equal(200, result.GetProperty("after_status").GetInt32());
            Assert.Equal(fast.Length, result.GetProperty("after_length").GetInt32());
            output.WriteLine($"the stalled stream took {stalledAfter} bytes");
        }
        finally
        {
            slow.Thaw();
        }

        await proxy.StopCleanlyAsync();
    }

    private LogLine Http2Stats() =>
        _proxy.FindLog("http2 listener stats", line => line.Get("listener") == "inbound")
        ?? throw new Xunit.Sdk.XunitException("no \"http2 listener stats\" line\n" + _proxy.Describe());
}
