using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http;

/// <summary>
/// The proxy between real peers: curl and wrk as clients, Debian's nginx as the upstream. Bodies are
/// compared byte for byte (downloads with the file nginx served, uploads with the file nginx stored).
/// </summary>
public sealed partial class HttpNginxTests(ITestOutputHelper output) : IAsyncLifetime
{
    private NginxProcess _nginx = null!;
    private ProxyProcess _proxy = null!;
    private readonly TempDirectory _scratch = new();

    private string Url(string path) => $"http://{_proxy.ListenerAddress()}{path}";

    public async Task InitializeAsync()
    {
        _nginx = await NginxProcess.StartAsync();
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(), HttpToml.Cluster("app", _nginx.EndPoint)), output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        output.WriteLine(_nginx.Describe());
        await _nginx.DisposeAsync();
        _scratch.Dispose();
    }

    [Fact]
    public async Task A_multi_megabyte_download_arrives_byte_exact()
    {
        var served = _nginx.WriteFile("big.bin", 5 * 1024 * 1024 + 17, seed: 1);
        var saved = _scratch.PathOf("big.bin");

        var curl = await ToolRun.CurlAsync("-f", "-o", saved, Url("/big.bin"));

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal(SHA256.HashData(served), SHA256.HashData(File.ReadAllBytes(saved)));
        await _proxy.StopCleanlyAsync();
    }

    [Theory]
    [InlineData("content-length")]
    [InlineData("chunked")]
    public async Task An_upload_reaches_nginx_byte_exact(string framing)
    {
        var upload = new byte[4 * 1024 * 1024 + 3];
        new Random(2).NextBytes(upload);
        var source = _scratch.PathOf("upload.bin");
        File.WriteAllBytes(source, upload);
        string[] chunked = framing == "chunked" ? ["-H", "Transfer-Encoding: chunked"] : [];

        var curl = await ToolRun.CurlAsync(["-f", "-T", source, .. chunked, Url("/up/" + framing + ".bin")]);

        Assert.True(curl.ExitCode == 0, curl.ToString());
        var stored = Path.Combine(_nginx.Root, "up", framing + ".bin");
        Assert.Equal(SHA256.HashData(upload), SHA256.HashData(File.ReadAllBytes(stored)));
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Expect_100_continue_is_passed_on_and_the_body_follows()
    {
        var upload = new byte[2 * 1024 * 1024];
        new Random(3).NextBytes(upload);
        var source = _scratch.PathOf("continue.bin");
        File.WriteAllBytes(source, upload);

        // --expect100-timeout far above any delay here: the body must wait for nginx's 100, not a timer.
        var curl = await ToolRun.CurlAsync("-f", "-v", "--expect100-timeout", "30", "-H", "Expect: 100-continue", "-T", source, Url("/continue.bin"));

        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Contains("< HTTP/1.1 100 Continue", curl.Stderr);
        Assert.Equal(SHA256.HashData(upload), SHA256.HashData(File.ReadAllBytes(Path.Combine(_nginx.Root, "continue.bin"))));
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Keep_alive_load_reuses_upstream_connections()
    {
        _nginx.WriteFile("small.bin", 512, seed: 4);

        var wrk = await ToolRun.RunAsync("wrk", ["-t", "1", "-c", "4", "-d", "3s", Url("/small.bin")]);

        Assert.True(wrk.ExitCode == 0, wrk.ToString());
        Assert.DoesNotContain("Non-2xx", wrk.Stdout);
        Assert.DoesNotContain("Socket errors", wrk.Stdout);
        var requests = long.Parse(RequestsLine().Match(wrk.Stdout).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await _proxy.StopCleanlyAsync();
        var upstreamConnections = _proxy.ClusterStats().RequireLong("upstream_cx_total");
        Assert.True(requests >= 50, wrk.ToString());
        Assert.True(upstreamConnections <= 8, $"{upstreamConnections} upstream connections for {requests} requests over 4 client connections");
    }

    [Fact]
    public async Task Pipelined_requests_are_answered_in_order()
    {
        var files = Enumerable.Range(0, 4).Select(i => _nginx.WriteFile($"p{i}.txt", 1000 + (i * 3000), seed: 10 + i)).ToArray();
        using var client = await RawHttpClient.ConnectAsync(_proxy.ListenerAddress());

        await client.SendAsync(string.Concat(Enumerable.Range(0, 4).Select(i => $"GET /p{i}.txt HTTP/1.1\r\nHost: pipe\r\n\r\n")));

        for (var i = 0; i < files.Length; i++)
        {
            var response = await client.ReadResponseAsync();
            Assert.Equal(200, response.Status);
            Assert.Equal(files[i], response.Body);
        }

        client.Dispose();
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task An_http_1_0_client_gets_its_answer_and_a_close()
    {
        var file = _nginx.WriteFile("old.txt", 3000, seed: 5);
        using var client = await RawHttpClient.ConnectAsync(_proxy.ListenerAddress());

        await client.SendAsync("GET /old.txt HTTP/1.0\r\nHost: old\r\n\r\n");
        var response = await client.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal(file, response.Body);
        Assert.True(await client.WaitForCloseAsync(), "an HTTP/1.0 exchange without keep-alive must end with a close");
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task An_http_1_0_client_asking_for_keep_alive_keeps_its_connection()
    {
        var file = _nginx.WriteFile("old.txt", 300, seed: 6);
        using var client = await RawHttpClient.ConnectAsync(_proxy.ListenerAddress());

        for (var i = 0; i < 2; i++)
        {
            await client.SendAsync("GET /old.txt HTTP/1.0\r\nHost: old\r\nConnection: keep-alive\r\n\r\n");
            var response = await client.ReadResponseAsync(); // needs a Content-Length, since the connection stays
            Assert.Equal(200, response.Status);
            Assert.Equal(file, response.Body);
            Assert.Equal("keep-alive", response.Head.Get("connection"), ignoreCase: true);
        }

        client.Dispose();
        await _proxy.StopCleanlyAsync();
    }

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();
}
