using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Upstream;

/// <summary>
/// The cluster's request circuit breakers on the HTTP path, with the AOT binary and real sockets:
/// past a limit the proxy answers 503 at once (flag UO, <c>x-envoy-overloaded</c>) instead of
/// queueing, counts the overflow per breaker, and shows the breakers' live counts in /clusters.
/// </summary>
public sealed class HttpCircuitBreakerTests(ITestOutputHelper output)
{
    // Guards against a hang only: what the tests wait for is a count or an order, never a duration.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Requests_past_max_requests_get_a_fast_503_while_the_others_succeed()
    {
        const int maxRequests = 4;
        const int extra = 3;
        await using var backend = ScriptedHttpBackend.Start("slow");
        using var directory = new TempDirectory();
        var logPath = directory.PathOf("access.log");

        // Two workers: the limit holds over all of them, not per worker.
        var toml = Config(backend.EndPoint, logPath, workers: 2, $"max_requests = {maxRequests}");
        await using var proxy = await ProxyProcess.StartTomlAsync(toml, output);
        var web = $"http://{proxy.ListenerAddress()}";
        var admin = $"http://{proxy.ListenerAddress("admin")}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        // The held ones first, so the ones over the limit are known; then the rest, all at once. The
        // backend holds every request until released, so the ones over the limit are answered while
        // the limit is full, or, if queued (or let through to the backend), not at all.
        var held = Enumerable.Range(0, maxRequests).Select(i => TimedGetAsync(http, $"{web}/held{i}", "hold")).ToArray();
        Assert.True(await Progress.WaitUntilAsync(() => backend.Requests.Count == maxRequests, Patience), proxy.Describe());
        var overTask = Task.WhenAll(Enumerable.Range(0, extra).Select(i => TimedGetAsync(http, $"{web}/over{i}", "hold")));
        Assert.True(
            await Task.WhenAny(overTask, Task.Delay(Patience)) == overTask,
            $"the requests over max_requests were not answered while the {maxRequests} in flight were held (queued, or sent on: the backend has {backend.Requests.Count})\n{proxy.Describe()}");
        var over = await overTask;

        using (var clusters = JsonDocument.Parse(await http.GetStringAsync($"{admin}/clusters")))
        {
            var breakers = clusters.RootElement[0].GetProperty("circuit_breakers");
            Assert.Equal(maxRequests, breakers.GetProperty("max_requests").GetInt32());
            Assert.Equal(maxRequests, breakers.GetProperty("requests").GetInt32());
            Assert.Equal(1024, breakers.GetProperty("max_pending_requests").GetInt32());
            Assert.Equal(3, breakers.GetProperty("max_retries").GetInt32());
        }

        foreach (var (status, overloaded, elapsedMs) in over)
        {
            output.WriteLine($"over the limit: {status} in {elapsedMs} ms");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.True(overloaded, "the 503 has no x-envoy-overloaded: true");
        }

        // The held ones were in flight all along: none was answered before the backend let go.
        Assert.All(held, request => Assert.False(request.IsCompleted, "a held request was answered before its release"));
        backend.ReleaseHeld();
        var served = await Task.WhenAll(held);
        Assert.All(served, result => Assert.True(result.Status == HttpStatusCode.OK, $"{result}"));
        Assert.Equal(maxRequests, backend.Requests.Count);

        using (var stats = JsonDocument.Parse(await http.GetStringAsync($"{admin}/stats")))
        {
            var cluster = stats.RootElement.GetProperty("clusters").GetProperty("app");
            Assert.Equal(extra, cluster.GetProperty("upstream_rq_overflow").GetInt64());
            Assert.Equal(0, cluster.GetProperty("upstream_rq_pending_overflow").GetInt64());
        }

        var metrics = await http.GetStringAsync($"{admin}/metrics");
        Assert.Contains($"meshedge_upstream_circuit_breaker_overflow_total{{cluster=\"app\",breaker=\"requests\"}} {extra}", metrics);
        using (var clusters = JsonDocument.Parse(await http.GetStringAsync($"{admin}/clusters")))
        {
            Assert.Equal(0, clusters.RootElement[0].GetProperty("circuit_breakers").GetProperty("requests").GetInt32());
        }

        // Slots come back when requests end: the next one is served.
        Assert.Equal(HttpStatusCode.OK, (await TimedGetAsync(http, $"{web}/after", "echo")).Status);
        await proxy.StopCleanlyAsync();
        var lines = await File.ReadAllLinesAsync(logPath);
        Assert.Equal(extra, lines.Count(line => line.StartsWith("/over", StringComparison.Ordinal) && line.EndsWith(" 503 UO", StringComparison.Ordinal)));
        Assert.Equal(maxRequests + 1, lines.Count(line => line.EndsWith(" 200 -", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Requests_past_max_pending_requests_get_a_fast_503()
    {
        // Connects to a black hole never end, so every request stays pending until the connect timeout.
        using var blackHole = await BlackHolePort.StartAsync();
        using var directory = new TempDirectory();
        // The connect timeout only has to outlast the two refusals below, on a loaded machine too.
        var toml = Config(blackHole.EndPoint, directory.PathOf("access.log"), workers: 1, "max_pending_requests = 2", connectTimeout: "10s");
        await using var proxy = await ProxyProcess.StartTomlAsync(toml, output);
        var web = $"http://{proxy.ListenerAddress()}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var pending = Enumerable.Range(0, 2).Select(i => TimedGetAsync(http, $"{web}/p{i}", "echo")).ToArray();
        Assert.True(await proxy.WaitForBreakerCountAsync("pending_requests", 2, Patience), $"the first two requests never both waited on a connect\n{proxy.Describe()}");
        var over = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => TimedGetAsync(http, $"{web}/over{i}", "echo")));

        // Refused while the two pending ones still wait on their connects, not queued behind them.
        Assert.All(over, result => Assert.True(result.Status == HttpStatusCode.ServiceUnavailable && result.Overloaded, $"{result}"));
        Assert.All(pending, request => Assert.False(request.IsCompleted, "a pending request ended before the ones over the limit were refused"));

        // The pending ones are not refused: they wait for their connects and fail as connect failures.
        Assert.All(await Task.WhenAll(pending), result => Assert.True(result.Status == HttpStatusCode.BadGateway && !result.Overloaded, $"{result}"));
        await proxy.StopCleanlyAsync();
        Assert.Equal(2, proxy.ClusterStats().RequireLong("upstream_rq_pending_overflow"));
    }

    [Fact]
    public async Task A_retry_past_max_retries_is_not_made_and_the_upstream_reply_goes_back()
    {
        await using var backend = ScriptedHttpBackend.Start("failing");
        using var directory = new TempDirectory();
        var toml = Config(backend.EndPoint, directory.PathOf("access.log"), workers: 1, "max_retries = 0",
            retry: """retry_policy = { retry_on = ["5xx"], num_retries = 2 }""");
        await using var proxy = await ProxyProcess.StartTomlAsync(toml, output);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var result = await TimedGetAsync(http, $"http://{proxy.ListenerAddress()}/x", "status:503");

        // The backend's own 503 (not the proxy's overload reply), after one try only.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, result.Status);
        Assert.False(result.Overloaded);
        Assert.Single(backend.Requests);
        await proxy.StopCleanlyAsync();
        Assert.Equal(1, proxy.ClusterStats().RequireLong("upstream_rq_retry_overflow"));
        Assert.Equal(0, proxy.ClusterStats().RequireLong("upstream_rq_retry"));
    }

    [Theory]
    [InlineData("reset", 502)]
    [InlineData("delay:3000", 504)]
    public async Task A_failure_the_route_does_not_retry_takes_no_retry_slot(string action, int status)
    {
        // A reset on a route with no retry policy, or a per-try timeout that the policy does not
        // cover, ends the request: it must not take (or, with max_retries = 0, overflow) a retry slot
        // it will never use.
        await using var backend = ScriptedHttpBackend.Start("failing");
        using var directory = new TempDirectory();
        var retry = action.StartsWith("delay", StringComparison.Ordinal)
            ? """retry_policy = { retry_on = ["5xx"], num_retries = 1, per_try_timeout = "300ms" }"""
            : "";
        var toml = Config(backend.EndPoint, directory.PathOf("access.log"), workers: 1, "max_retries = 0", retry: retry);
        await using var proxy = await ProxyProcess.StartTomlAsync(toml, output);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var result = await TimedGetAsync(http, $"http://{proxy.ListenerAddress()}/x", action);

        Assert.Equal(status, (int)result.Status);
        Assert.False(result.Overloaded);
        await proxy.StopCleanlyAsync();
        Assert.Equal(0, proxy.ClusterStats().RequireLong("upstream_rq_retry_overflow"));
        Assert.Equal(0, proxy.ClusterStats().RequireLong("upstream_rq_retry"));
    }

    [Fact]
    public async Task A_failed_connect_moves_to_the_next_host_without_a_retry_slot()
    {
        // The refused connect sent nothing, so even max_retries = 0 lets the request go on to the good host.
        await using var backend = ScriptedHttpBackend.Start("good");
        using var directory = new TempDirectory();
        var toml = Config(RefusingPort.Allocate(), directory.PathOf("access.log"), workers: 1, "max_retries = 0",
            retry: """retry_policy = { retry_on = ["connect-failure"], num_retries = 1 }""")
            .Replace("hosts = [", $"hosts = [\"{backend.EndPoint}\", ", StringComparison.Ordinal);
        await using var proxy = await ProxyProcess.StartTomlAsync(toml, output);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await TimedGetAsync(http, $"http://{proxy.ListenerAddress()}/r{i}", "echo")).Status);
        }

        await proxy.StopCleanlyAsync();
        Assert.Equal(0, proxy.ClusterStats().RequireLong("upstream_rq_retry_overflow"));
        Assert.True(proxy.ClusterStats().RequireLong("upstream_rq_retry") >= 2);
    }

    private static string Config(IPEndPoint host, string accessLog, int workers, string breakers, string connectTimeout = "5s", string retry = "") =>
        HttpToml.WithWorkers(
            HttpToml.WithAdmin(HttpToml.CatchAllConfig(
                HttpToml.Cluster("app", [host], $"connect_timeout = \"{connectTimeout}\"\ncircuit_breakers = {{ {breakers} }}"),
                http: $"access_log = {{ path = \"{accessLog}\", format = \"%REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS%\" }}",
                routeExtras: retry)),
            workers);

    private static async Task<TimedResult> TimedGetAsync(HttpClient http, string url, string action)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("x-action", action);
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var overloaded = response.Headers.TryGetValues("x-envoy-overloaded", out var values) && values.Contains("true");
        return new TimedResult(response.StatusCode, overloaded, clock.ElapsedMilliseconds);
    }

    private sealed record TimedResult(HttpStatusCode Status, bool Overloaded, long ElapsedMs);
}
