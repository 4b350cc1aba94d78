using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http;

/// <summary>
/// Retries move a failed attempt to another host of the cluster (round robin over a bad and a good
/// host), only for the causes the route's retry_on names, and never once request body bytes have left.
/// </summary>
public sealed class HttpRetryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ScriptedHttpBackend _bad = ScriptedHttpBackend.Start("bad");
    private readonly ScriptedHttpBackend _good = ScriptedHttpBackend.Start("good");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _bad.AssertNoErrors();
        _good.AssertNoErrors();
        await _bad.DisposeAsync();
        await _good.DisposeAsync();
    }

    [Theory]
    [InlineData("")]
    [InlineData("retry_policy = { retry_on = [\"connect-failure\"], num_retries = 1 }")]
    public async Task A_refused_connect_moves_to_the_next_host(string retryPolicy)
    {
        await using var proxy = await StartAsync(retryPolicy, RefusingPort.Allocate(), _good.EndPoint);

        for (var i = 0; i < 6; i++)
        {
            var response = await HttpExchange.GetAsync(proxy.ListenerAddress(), "/");
            Assert.True(response.Status == 200, $"request {i}: {response.Head}");
        }

        await proxy.StopCleanlyAsync();
        Assert.True(proxy.ClusterStats().RequireLong("upstream_cx_connect_fail") >= 1);
    }

    [Fact]
    public async Task A_connect_that_hangs_times_out_and_moves_to_the_next_host()
    {
        using var blackHole = await BlackHolePort.StartAsync();
        var cluster = HttpToml.Cluster("app", [blackHole.EndPoint, _good.EndPoint], "connect_timeout = \"300ms\"");
        await using var proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(routeExtras: "timeout = \"60s\""), cluster), output);

        // Each request's deadline (15s) is far below the route timeout: only the connect timeout can save it.
        for (var i = 0; i < 4; i++)
        {
            var response = await HttpExchange.GetAsync(proxy.ListenerAddress(), "/");
            Assert.True(response.Status == 200, $"request {i}: {response.Head}");
        }

        await proxy.StopCleanlyAsync();
        Assert.True(proxy.ClusterStats().RequireLong("upstream_cx_connect_timeout") >= 1);

        // A timeout is counted once, as a timeout: no host refused a connect here.
        Assert.Equal(0, proxy.ClusterStats().RequireLong("upstream_cx_connect_fail"));
    }

    [Fact]
    public async Task A_body_waiting_for_a_connect_goes_whole_to_the_host_that_answers()
    {
        await using var proxy = await StartAsync("", RefusingPort.Allocate(), _good.EndPoint);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

        for (var i = 0; i < 4; i++)
        {
            var body = new byte[3 * 1024 * 1024];
            new Random(i).NextBytes(body);
            using var response = await http.PostAsync($"http://{proxy.ListenerAddress()}/upload", new ByteArrayContent(body));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)), response.Headers.GetValues("x-body-sha256").Single());
        }

        http.Dispose();
        await proxy.StopCleanlyAsync();
    }

    [Theory]
    [InlineData("status:503", "5xx")]
    [InlineData("reset", "reset")]
    [InlineData("delay:5000", "per-try-timeout")]
    public async Task A_failed_attempt_is_retried_on_another_host(string failure, string retryOn)
    {
        _bad.Script = _ => failure;
        await using var proxy = await StartAsync(
            $"retry_policy = {{ retry_on = [\"{retryOn}\"], num_retries = 1, per_try_timeout = \"500ms\" }}", _bad.EndPoint, _good.EndPoint);

        for (var i = 0; i < 4; i++)
        {
            var response = await HttpExchange.GetAsync(proxy.ListenerAddress(), "/");
            Assert.True(response.Status == 200, $"request {i}: {response.Head}");
            Assert.Equal("good", response.Head.Get("x-backend"));
        }

        Assert.NotEmpty(_bad.Requests);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_failure_not_named_in_retry_on_is_not_retried()
    {
        _bad.Script = _ => "status:503";
        _good.Script = _ => "status:503";
        await using var proxy = await StartAsync("retry_policy = { retry_on = [\"reset\"], num_retries = 3 }", _bad.EndPoint, _good.EndPoint);

        var response = await HttpExchange.GetAsync(proxy.ListenerAddress(), "/");

        Assert.Equal(503, response.Status);
        Assert.Equal(1, _bad.Requests.Count + _good.Requests.Count);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_request_whose_body_was_sent_is_not_replayed()
    {
        _bad.Script = _ => "reset";
        _good.Script = _ => "reset";
        await using var proxy = await StartAsync("retry_policy = { retry_on = [\"reset\", \"5xx\"], num_retries = 3 }", _bad.EndPoint, _good.EndPoint);
        using var client = await RawHttpClient.ConnectAsync(proxy.ListenerAddress());

        await client.SendAsync(HttpExchange.Request("POST", "/", "test", "Content-Length: 11") + "hello world");

        Assert.Equal(502, (await client.ReadResponseAsync()).Status);
        Assert.Equal(1, _bad.Requests.Count + _good.Requests.Count);
        client.Dispose();
        await proxy.StopCleanlyAsync();
    }

    private Task<ProxyProcess> StartAsync(string retryPolicy, params System.Net.IPEndPoint[] hosts) =>
        ProxyProcess.StartTomlAsync(HttpToml.Config(HttpToml.CatchAll(routeExtras: retryPolicy), HttpToml.Cluster("app", hosts)), output);
}
