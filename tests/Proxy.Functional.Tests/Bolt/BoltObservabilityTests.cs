using System.Net;
using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>
/// What the Bolt proxy tells about the calls it carried, after real sofa-bolt-node calls: per (service,
/// method) counters, statuses and durations in /metrics and /stats, and one access-log line per call.
/// </summary>
public sealed class BoltObservabilityTests(ITestOutputHelper output)
{
    private const string Echo = "com.meshedge.Echo:1.0";
    private const string Unknown = "com.unknown.Service:1.0";

    [Fact]
    public async Task EachCallIsCountedUnderItsServiceAndMethodAndLoggedWithItsStatus()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        using var directory = new TempDirectory();
        var logPath = directory.PathOf("rpc.log");
        var toml = $$"""
            [runtime]
            workers = 2
            drain_timeout = "5s"

            [admin]
            address = "127.0.0.1:0"

            [[listeners]]
            name = "inbound"
            address = "127.0.0.1:0"
            protocol = "bolt"
            [listeners.rpc_proxy]
            routes = [ { match = { service = "{{Echo}}" }, cluster = "a" } ]
            access_log = { path = "{{logPath}}", format = "%PROTOCOL% %RPC_SERVICE% %RPC_METHOD% %RPC_STATUS% %RESPONSE_FLAGS% %UPSTREAM_HOST% %DOWNSTREAM_REMOTE_ADDRESS% %REQ(service)%" }

            [[clusters]]
            name = "a"
            hosts = ["{{server.EndPoint}}"]
            """;
        await using var proxy = await ProxyProcess.StartTomlAsync(toml, output);

        // Separate client connections, so both workers may see some of the calls: the admin merges them.
        var echo = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "echo", ["$i"], Count: 3)]);
        var unrouted = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Unknown, "echo", ["$i"], Count: 2)]);
        var hang = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "hang", [], TimeoutMs: 300)]);
        var note = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "note", ["n"], Oneway: true)]);
        Assert.All(echo.Results, r => Assert.True(r.Status == BoltStatus.Success, $"{r}\n{echo.Log}"));
        Assert.All(unrouted.Results, r => Assert.True(r.Status == BoltStatus.NoProcessor, $"{r}\n{unrouted.Log}"));
        Assert.All(hang.Results, r => Assert.True(r.Status == BoltStatus.Timeout, $"{r}\n{hang.Log}"));
        await server.Process.WaitForCountAsync("note", 1, TimeSpan.FromSeconds(15));

        var admin = $"http://{proxy.ListenerAddress("admin")}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var metrics = (await http.GetStringAsync($"{admin}/metrics")).Split('\n');
        output.WriteLine(string.Join('\n', metrics.Where(line => line.StartsWith("meshedge_rpc", StringComparison.Ordinal))));
        string Labels(string service, string method) => $"listener=\"inbound\",protocol=\"bolt\",service=\"{service}\",method=\"{method}\"";
        Assert.Contains($"meshedge_rpc_requests_total{{{Labels(Echo, "echo")}}} 3", metrics);
        Assert.Contains($"meshedge_rpc_responses_total{{{Labels(Echo, "echo")},status=\"0\"}} 3", metrics);
        Assert.Contains($"meshedge_rpc_request_duration_seconds_count{{{Labels(Echo, "echo")}}} 3", metrics);
        Assert.Contains($"meshedge_rpc_requests_total{{{Labels(Unknown, "echo")}}} 2", metrics);
        Assert.Contains($"meshedge_rpc_responses_total{{{Labels(Unknown, "echo")},status=\"6\"}} 2", metrics);
        Assert.Contains($"meshedge_rpc_requests_total{{{Labels(Echo, "hang")}}} 1", metrics);
        Assert.Contains($"meshedge_rpc_responses_total{{{Labels(Echo, "hang")},status=\"7\"}} 1", metrics);
        // The timeout was 300 ms: the call is in the 0.5 s bucket, not the 0.25 s one.
        Assert.Contains($"meshedge_rpc_request_duration_seconds_bucket{{{Labels(Echo, "hang")},le=\"0.25\"}} 0", metrics);
        Assert.Contains($"meshedge_rpc_request_duration_seconds_bucket{{{Labels(Echo, "hang")},le=\"0.5\"}} 1", metrics);
        Assert.Contains($"meshedge_rpc_requests_total{{{Labels(Echo, "note")}}} 1", metrics);
        Assert.DoesNotContain(metrics, line => line.StartsWith($"meshedge_rpc_responses_total{{{Labels(Echo, "note")}", StringComparison.Ordinal));

        using var stats = JsonDocument.Parse(await http.GetStringAsync($"{admin}/stats"));
        var methods = stats.RootElement.GetProperty("listeners").GetProperty("inbound").GetProperty("rpc").GetProperty("methods").EnumerateArray()
            .ToDictionary(m => (m.GetProperty("service").GetString(), m.GetProperty("method").GetString()));
        Assert.Equal(4, methods.Count);
        var echoStats = methods[(Echo, "echo")];
        Assert.Equal(3, echoStats.GetProperty("requests").GetInt64());
        Assert.Equal(3, echoStats.GetProperty("responses").GetProperty("0").GetInt64());
        Assert.Equal(1, methods[(Echo, "hang")].GetProperty("responses").GetProperty("7").GetInt64());
        Assert.Equal(1, methods[(Echo, "hang")].GetProperty("duration_ms").GetProperty("500").GetInt64());

        await proxy.StopCleanlyAsync();
        var upstream = server.EndPoint.ToString();
        string[] expected =
        [
            .. Enumerable.Repeat($"bolt {Echo} echo 0 - {upstream} 127.0.0.1 {Echo}", 3),
            .. Enumerable.Repeat($"bolt {Unknown} echo 6 NR - 127.0.0.1 {Unknown}", 2),
            $"bolt {Echo} hang 7 UT {upstream} 127.0.0.1 {Echo}",
            $"bolt {Echo} note - - {upstream} 127.0.0.1 {Echo}",
        ];
        // Two workers flush their own batches: compare the lines, not their order.
        Assert.Equal(expected.Order(StringComparer.Ordinal), (await File.ReadAllLinesAsync(logPath)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AnAutoListenersRpcSideShowsItsStatsLikeABoltListener()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        var toml = $$"""
            [runtime]
            workers = 1
            drain_timeout = "5s"

            [admin]
            address = "127.0.0.1:0"

            [[listeners]]
            name = "edge"
            address = "127.0.0.1:0"
            protocol = "auto"
            rpc_proxy = { cluster = "a" }
            [listeners.http]
            [[listeners.http.virtual_hosts]]
            name = "all"
            routes = [{ match = { prefix = "/" }, direct_response = { status = 200, body = "http here" } }]

            [[clusters]]
            name = "a"
            hosts = ["{{server.EndPoint}}"]
            """;
        await using var proxy = await ProxyProcess.StartTomlAsync(toml, output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress("edge"), [new BoltCall(Echo, "echo", ["$i"], Count: 4)]);
        Assert.All(run.Results, r => Assert.True(r.Status == BoltStatus.Success, $"{r}\n{run.Log}"));

        var admin = $"http://{proxy.ListenerAddress("admin")}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var metrics = (await http.GetStringAsync($"{admin}/metrics")).Split('\n');
        output.WriteLine(string.Join('\n', metrics.Where(line => line.StartsWith("meshedge_rpc", StringComparison.Ordinal))));
        Assert.Contains("meshedge_rpc_events_total{listener=\"edge\",protocol=\"bolt\",event=\"requests\"} 4", metrics);
        Assert.Contains($"meshedge_rpc_requests_total{{listener=\"edge\",protocol=\"bolt\",service=\"{Echo}\",method=\"echo\"}} 4", metrics);
        using var stats = JsonDocument.Parse(await http.GetStringAsync($"{admin}/stats"));
        var rpc = stats.RootElement.GetProperty("listeners").GetProperty("edge").GetProperty("rpc");
        Assert.Equal(4, rpc.GetProperty("requests").GetInt64());
        Assert.Equal(4, rpc.GetProperty("success").GetInt64());

        await proxy.StopCleanlyAsync();
        Assert.Equal(4, proxy.RpcListenerStats("edge").RequireLong("rq_total"));
    }
}
