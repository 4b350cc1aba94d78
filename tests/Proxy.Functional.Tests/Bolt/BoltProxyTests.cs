using System.Net;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>
/// The Bolt RPC proxy between real SOFA peers from npm: sofa-rpc-node servers behind the AOT binary,
/// sofa-rpc-node and sofa-bolt-node clients in front of it. Every call starts at once on one client
/// connection, so the proxy multiplexes them on its shared upstream connections.
/// </summary>
public sealed class BoltProxyTests(ITestOutputHelper output)
{
    private const string Echo = "com.meshedge.Echo:1.0";
    private const string Other = "com.meshedge.Other:1.0";
    private const string RoutesToA = """routes = [ { match = { service_prefix = "com.meshedge." }, cluster = "a" } ]""";

    [Fact]
    public async Task ManyConcurrentCallsOnOneConnectionEachGetTheirOwnResponse()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForBolt(RoutesToA, ("a", [server.EndPoint])), output);

        var codecRun = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "echo", ["$i"], Count: 500)]);
        var clientRun = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "echo", ["$i"], Count: 200)], mode: "rpc");

        Assert.Equal(500, codecRun.Results.Length);
        foreach (var result in codecRun.Results)
        {
            Assert.True(result.Status == BoltStatus.Success && result.Value == $"a:{result.Index}", $"{result}\n{codecRun.Log}");
        }

        Assert.Equal(200, clientRun.Results.Length);
        foreach (var result in clientRun.Results)
        {
            Assert.True(result.Value == $"a:{result.Index}", $"{result}\n{clientRun.Log}");
        }

        await proxy.StopCleanlyAsync();
        var stats = proxy.RpcListenerStats();
        Assert.Equal(700, stats.RequireLong("rq_total"));
        Assert.Equal(700, stats.RequireLong("rs_success"));
        Assert.Equal(0, stats.RequireLong("rq_active"));
        Assert.Equal(700, server.Requests);
    }

    [Fact]
    public async Task BoltV2FramesKeepValidChecksumsAfterTheirIdsAreRewritten()
    {
        // Both sofa-bolt-node ends verify the CRC32, which covers the id the proxy rewrites each way.
        await using var server = await BoltServer.StartAsync("a", Echo);
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForBolt(RoutesToA, ("a", [server.EndPoint])), output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "echo", ["$i"], Count: 100)], heartbeats: 2, version: 2);

        Assert.Equal(100, run.Results.Length);
        foreach (var result in run.Results)
        {
            Assert.True(result.Status == BoltStatus.Success && result.Value == $"a:{result.Index}", $"{result}\n{run.Log}");
        }

        Assert.All(run.Heartbeats, ack => Assert.True(ack.Heartbeat && ack.Status == BoltStatus.Success, $"{ack}\n{run.Log}"));
        await proxy.StopCleanlyAsync();
        Assert.Equal(100, proxy.RpcListenerStats().RequireLong("rs_success"));
    }

    [Fact]
    public async Task OneMebibytePayloadsCrossBothWays()
    {
        const int payload = 1024 * 1024;
        await using var server = await BoltServer.StartAsync("a", Echo);
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForBolt(RoutesToA, ("a", [server.EndPoint])), output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "mirror", ["$payload"], Count: 3, TimeoutMs: 20_000)],
            mode: "rpc", payloadLength: payload);

        Assert.Equal(3, run.Results.Length);
        foreach (var result in run.Results)
        {
            Assert.True(result.ValueLength == payload && result.ValueMatchesPayload == true, $"{result}\n{run.Log}");
        }

        await proxy.StopCleanlyAsync();
        Assert.True(proxy.ListenerStats().RequireLong("bytes_rx") > 3 * payload);
    }

    [Fact]
    public async Task AClientThatStopsReadingHoldsNobodyElseBack()
    {
        const int payload = 256 * 1024;
        await using var server = await BoltServer.StartAsync("a", Echo);
        var config = ProxyConfig.ForBolt(RoutesToA, ("a", [server.EndPoint]));
        config.Workers = 1;
        config.Listener.BufferLimit = "64KiB";
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        // 40 calls of 256 KiB each way: far more than the client's socket buffers and the watermark.
        await using var stalled = await BoltClient.StartAsync(proxy.ListenerAddress(),
            [new BoltCall(Echo, "mirror", ["$payload"], Count: 40, TimeoutMs: 60_000)], payloadLength: payload, noReadHoldMs: 8000);
        await stalled.SentAsync();
        await server.Process.WaitForCountAsync("request", 1, TimeSpan.FromSeconds(30));

        // Same worker, same upstream connection: this client's calls still go through.
        var run = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "echo", ["$i"], Count: 50)]);
        foreach (var result in run.Results)
        {
            Assert.True(result.Status == BoltStatus.Success && result.Value == $"a:{result.Index}", $"{result}\n{run.Log}");
        }

        Assert.False(stalled.Process.HasExited, "the stalled client left before the other client finished: the test proved nothing");
        await proxy.StopCleanlyAsync();
        Assert.Equal(0, proxy.RpcListenerStats().RequireLong("rq_active"));
    }

    [Fact]
    public async Task ConnectionsPerHostWithoutAffinitySpreadsOneClientsCallsOverThatManyUpstreamConnections()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        var config = ProxyConfig.ForBolt("connections_per_host = 3\nconnection_affinity = \"none\"\n" + RoutesToA, ("a", [server.EndPoint]));
        config.Workers = 1;
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "echo", ["$i"], Count: 60)]);

        Assert.All(run.Results, result => Assert.True(result.Value == $"a:{result.Index}", $"{result}\n{run.Log}"));
        await proxy.StopCleanlyAsync();
        Assert.Equal(3, proxy.ClusterStats("a").RequireLong("upstream_cx_total"));
    }

    [Fact]
    public async Task OnewayCallsReachTheServerAndNeedNoResponse()
    {
        const int oneway = 20;
        await using var server = await BoltServer.StartAsync("a", Echo);
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForBolt(RoutesToA, ("a", [server.EndPoint])), output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(),
            [new BoltCall(Echo, "note", ["$i"], Count: oneway, Oneway: true), new BoltCall(Echo, "echo", ["after"])]);

        await server.Process.WaitForCountAsync("note", oneway, TimeSpan.FromSeconds(15));
        Assert.Equal(Enumerable.Range(0, oneway).Select(i => i.ToString()).Order(), server.Notes.Order());
        var call = Assert.Single(run.Results, r => !r.Oneway);
        Assert.Equal("a:after", call.Value);

        await proxy.StopCleanlyAsync();
        var stats = proxy.RpcListenerStats();
        Assert.Equal(oneway, stats.RequireLong("rq_oneway"));
        Assert.Equal(1, stats.RequireLong("rq_total"));
        Assert.Equal(0, stats.RequireLong("rq_active"));
    }

    [Fact]
    public async Task HeartbeatsAreAnsweredByTheProxyItself()
    {
        // The cluster's only host refuses connections: the acks can only come from the proxy.
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForBolt(RoutesToA, ("a", [RefusingPort.Allocate()])), output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(), [], heartbeats: 3);

        Assert.Equal(3, run.Heartbeats.Length);
        Assert.All(run.Heartbeats, ack => Assert.True(ack.Heartbeat && ack.Status == BoltStatus.Success, $"{ack}\n{run.Log}"));
        await proxy.StopCleanlyAsync();
        Assert.Equal(3, proxy.RpcListenerStats().RequireLong("heartbeats_answered"));
        Assert.Equal(0, proxy.ClusterStats("a").RequireLong("upstream_cx_total"));
    }

    [Fact]
    public async Task ServerKilledMidFlightAnswersEveryCallWithConnectionClosed()
    {
        const int calls = 40;
        await using var server = await BoltServer.StartAsync("a", Echo);
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForBolt(RoutesToA, ("a", [server.EndPoint])), output);
        await using var client = await BoltClient.StartAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "delay", [60_000, "$i"], Count: calls, TimeoutMs: 60_000)]);

        await server.Process.WaitForCountAsync("request", calls, TimeSpan.FromSeconds(30));
        server.Process.KillHard();
        var run = await client.WaitAsync();

        Assert.Equal(calls, run.Results.Length);
        foreach (var result in run.Results)
        {
            Assert.True(result.Status == BoltStatus.ConnectionClosed, $"{result}\n{run.Log}");
        }

        await proxy.StopCleanlyAsync();
        Assert.Equal(calls, proxy.RpcListenerStats().RequireLong("rq_upstream_lost"));
        Assert.Equal(1, proxy.RpcClusterStats("a").RequireLong("upstream_cx_destroy_with_active_rq"));
    }

    [Fact]
    public async Task ServerThatNeverAnswersGetsTimeoutStatusAtTheRequestsOwnTimeout()
    {
        const int calls = 10;
        const int timeoutMs = 1000;
        await using var server = await BoltServer.StartAsync("a", Echo);
        // The listener's default is far longer: the request's own timeout field must be the one used.
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForBolt("timeout = \"60s\"\n" + RoutesToA, ("a", [server.EndPoint])), output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "hang", [], Count: calls, TimeoutMs: timeoutMs)]);

        Assert.Equal(calls, run.Results.Length);
        foreach (var result in run.Results)
        {
            // Not before the deadline (within EarlyToleranceMs); well before the client's own 30 s guard.
            Assert.True(result.Status == BoltStatus.Timeout && result.ElapsedMs >= timeoutMs - EarlyToleranceMs && result.ElapsedMs < timeoutMs + 5000, $"{result}\n{run.Log}");
        }

        await proxy.StopCleanlyAsync();
        Assert.Equal(calls, proxy.RpcListenerStats().RequireLong("rq_timeout"));
        Assert.Equal(calls, server.Requests);
    }

    /// <summary>
    /// How much earlier than the client's clock a timeout may fire. A worker reads its clock once per
    /// event batch, so a request read late in a long batch (a worker descheduled on a loaded machine)
    /// starts its deadline from the batch's start, before the client's send as the client's clock saw
    /// it. A loaded CI run saw 6 ms (call 2 of 2,500 ms answered at 2,494); a wrong timeout is off by
    /// far more.
    /// </summary>
    private const int EarlyToleranceMs = 25;

    [Fact]
    public async Task RequestsWithDifferentTimeoutsOnOneConnectionEachTimeOutAtTheirOwn()
    {
        // One connection, the longest timeout first: the session's one timeout timer must come
        // forward for the shorter ones sent after it, and go on to the next deadline after each.
        (int TimeoutMs, int Index)[] calls = [(6000, 0), (1000, 1), (2500, 2)];
        await using var server = await BoltServer.StartAsync("a", Echo);
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForBolt("timeout = \"60s\"\n" + RoutesToA, ("a", [server.EndPoint])), output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(), [.. calls.Select(c => new BoltCall(Echo, "hang", [], TimeoutMs: c.TimeoutMs))]);

        Assert.Equal(calls.Length, run.Results.Length);
        foreach (var (timeoutMs, index) in calls)
        {
            var result = run.Results[index];
            Assert.True(result.Status == BoltStatus.Timeout && result.ElapsedMs >= timeoutMs - EarlyToleranceMs && result.ElapsedMs < timeoutMs + 1200, $"call {index} ({timeoutMs} ms): {result}\n{run.Log}");
        }

        await proxy.StopCleanlyAsync();
        Assert.Equal(calls.Length, proxy.RpcListenerStats().RequireLong("rq_timeout"));
    }

    [Fact]
    public async Task RoutesByServiceToTwoDifferentServers()
    {
        // Both servers offer both services, so only the proxy's routing decides who answers.
        await using var a = await BoltServer.StartAsync("a", Echo, Other);
        await using var b = await BoltServer.StartAsync("b", Echo, Other);
        var routes = $$"""
            routes = [
              { match = { service = "{{Echo}}" }, cluster = "a" },
              { match = { service_regex = "com\\.meshedge\\.Oth.*" }, cluster = "b" },
            ]
            """;
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForBolt(routes, ("a", [a.EndPoint]), ("b", [b.EndPoint])), output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(),
            [new BoltCall(Echo, "echo", ["$i"], Count: 50), new BoltCall(Other, "echo", ["$i"], Count: 50)]);

        Assert.Equal(100, run.Results.Length);
        foreach (var result in run.Results)
        {
            var expected = result.Service == Echo ? "a" : "b";
            Assert.True(result.Status == BoltStatus.Success && result.Value == $"{expected}:{result.Index}", $"{result}\n{run.Log}");
        }

        Assert.Equal(50, a.Requests);
        Assert.Equal(50, b.Requests);
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task RoutesByTheMethodAHessianCallNamesInItsPayload()
    {
        // SOFA's hessian2 calls carry no method header: the method comes from the payload.
        await using var a = await BoltServer.StartAsync("a", Echo);
        await using var b = await BoltServer.StartAsync("b", Echo);
        var routes = $$"""
            routes = [
              { match = { service = "{{Echo}}", method = "delay" }, cluster = "b" },
              { match = { service = "{{Echo}}" }, cluster = "a" },
            ]
            """;
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForBolt(routes, ("a", [a.EndPoint]), ("b", [b.EndPoint])), output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(),
            [new BoltCall(Echo, "echo", ["$i"], Count: 20), new BoltCall(Echo, "delay", [0, "$i"], Count: 20)], mode: "rpc");

        Assert.Equal(40, run.Results.Length);
        foreach (var result in run.Results)
        {
            var expected = result.Method == "delay" ? "b" : "a";
            Assert.True(result.Value == $"{expected}:{result.Index}", $"{result}\n{run.Log}");
        }

        Assert.Equal((20, 20), (a.Requests, b.Requests));
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task UnroutedServiceGetsNoProcessorAndTheConnectionGoesOn()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        var routes = $$"""routes = [ { match = { service = "{{Echo}}" }, cluster = "a" } ]""";
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForBolt(routes, ("a", [server.EndPoint])), output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(),
            [new BoltCall("com.unknown.Service:1.0", "echo", ["$i"], Count: 5), new BoltCall(Echo, "echo", ["$i"], Count: 5)]);

        foreach (var result in run.Results)
        {
            var expected = result.Service == Echo ? BoltStatus.Success : BoltStatus.NoProcessor;
            Assert.True(result.Status == expected, $"{result}\n{run.Log}");
        }

        Assert.Equal(5, server.Requests);
        await proxy.StopCleanlyAsync();
        Assert.Equal(5, proxy.RpcListenerStats().RequireLong("rq_no_route"));
    }

    [Fact]
    public async Task CallsWhoseConnectIsRefusedAreSentToTheNextHost()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        var config = ProxyConfig.ForBolt(RoutesToA, ("a", [RefusingPort.Allocate(), server.EndPoint]));
        config.Workers = 1;
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "echo", ["$i"], Count: 20)]);

        foreach (var result in run.Results)
        {
            Assert.True(result.Status == BoltStatus.Success && result.Value == $"a:{result.Index}", $"{result}\n{run.Log}");
        }

        await proxy.StopCleanlyAsync();
        Assert.True(proxy.RpcClusterStats("a").RequireLong("upstream_rq_retry") >= 1, proxy.Describe());
        Assert.True(proxy.ClusterStats("a").RequireLong("upstream_cx_connect_fail") >= 1, proxy.Describe());
    }

    [Fact]
    public async Task IdleUpstreamConnectionsGetHeartbeatsThatTheServerAcks()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        var config = ProxyConfig.ForBolt("upstream_heartbeat_interval = \"200ms\"\n" + RoutesToA, ("a", [server.EndPoint]));
        config.Workers = 1;
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "echo", ["open the pool"])]);
        Assert.Equal("a:open the pool", Assert.Single(run.Results).Value);
        // The pooled connection now idles; several intervals pass before the proxy stops.
        await Task.Delay(TimeSpan.FromSeconds(2));

        await proxy.StopCleanlyAsync();
        var stats = proxy.RpcClusterStats("a");
        var acks = stats.RequireLong("upstream_heartbeat_ack");
        Assert.True(acks >= 2 && stats.RequireLong("upstream_heartbeat_tx") >= acks, proxy.Describe());
    }

    [Fact]
    public async Task CallsWaitingOnAConnectThatNeverCompletesGoToTheNextHost()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        using var blackHole = await BlackHolePort.StartAsync();
        var config = ProxyConfig.ForBolt(RoutesToA, ("a", [blackHole.EndPoint, server.EndPoint]));
        config.Workers = 1;
        config.Cluster.ConnectTimeout = "300ms";
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "echo", ["$i"], Count: 20, TimeoutMs: 10_000)]);

        foreach (var result in run.Results)
        {
            Assert.True(result.Status == BoltStatus.Success && result.Value == $"a:{result.Index}", $"{result}\n{run.Log}");
        }

        await proxy.StopCleanlyAsync();
        Assert.True(proxy.ClusterStats("a").RequireLong("upstream_cx_connect_timeout") >= 1, proxy.Describe());
        Assert.Equal(20, server.Requests);
    }

    [Fact]
    public async Task ARequestWhoseTimeoutPassesWhileItsConnectHangsGetsTimeout()
    {
        using var blackHole = await BlackHolePort.StartAsync();
        var config = ProxyConfig.ForBolt(RoutesToA, ("a", [blackHole.EndPoint]));
        config.Cluster.ConnectTimeout = "10s";
        await using var proxy = await ProxyProcess.StartAsync(config, output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "echo", ["$i"], Count: 5, TimeoutMs: 500)]);

        foreach (var result in run.Results)
        {
            Assert.True(result.Status == BoltStatus.Timeout && result.ElapsedMs >= 495, $"{result}\n{run.Log}");
        }

        await proxy.StopCleanlyAsync();
        Assert.Equal(5, proxy.RpcListenerStats().RequireLong("rq_timeout"));
        Assert.Equal(0, proxy.RpcListenerStats().RequireLong("rq_active"));
    }

    [Fact]
    public async Task MalformedFrameClosesThatConnectionOnly()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        await using var proxy = await ProxyProcess.StartAsync(ProxyConfig.ForBolt(RoutesToA, ("a", [server.EndPoint])), output);

        // Bolt v1, then a command type (7) that Bolt does not define.
        using (var bad = await Loopback.ConnectAsync(proxy.ListenerAddress()))
        {
            var frame = new byte[22];
            frame[0] = 0x01;
            frame[1] = 0x07;
            frame[3] = 0x01;
            await Loopback.SendAllAsync(bad, frame);
            Assert.True(await Loopback.WaitForCloseAsync(bad, TimeSpan.FromSeconds(10)), proxy.Describe());
        }

        var run = await BoltClient.RunAsync(proxy.ListenerAddress(), [new BoltCall(Echo, "echo", ["still here"])]);
        Assert.Equal("a:still here", Assert.Single(run.Results).Value);
        await proxy.StopCleanlyAsync();
        Assert.Equal(1, proxy.RpcListenerStats().RequireLong("malformed_frames"));
    }
}
