using System.Net;
using System.Net.Sockets;
using MeshEdge.Packaging.Tests.Harness;

namespace MeshEdge.Packaging.Tests;

/// <summary>
/// What the traced meshedge is made to do, so that the trace holds every kind of system call the
/// service makes in production: TCP proxying to a strict_dns cluster (localhost, resolved again every
/// 200 ms), HTTP proxying, Bolt calls, every admin endpoint, HTTP and TCP active health checks, and a
/// SIGHUP hand-off that moves a live Bolt connection to the successor, which then serves all of it again.
/// </summary>
public sealed partial class ServiceHardeningTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly string[] AdminPaths = ["/ready", "/healthz", "/metrics", "/stats", "/listeners", "/clusters", "/config_dump", "/help"];

    private static string TracedConfigToml(string handoffDirectory, PongServer pong, HttpUpstream web, BoltUpstream rpc) => $$"""
        [runtime]
        workers = 2
        drain_timeout = "5s"
        uds_dir = "{{handoffDirectory}}"

        [admin]
        address = "127.0.0.1:0"

        [[listeners]]
        name = "tcp"
        address = "127.0.0.1:0"
        [listeners.tcp_proxy]
        cluster = "pong"

        [[listeners]]
        name = "web"
        address = "127.0.0.1:0"
        protocol = "http"
        [listeners.http]
        [[listeners.http.virtual_hosts]]
        name = "all"
        [[listeners.http.virtual_hosts.routes]]
        match = { prefix = "/" }
        cluster = "web"

        [[listeners]]
        name = "bolt"
        address = "127.0.0.1:0"
        protocol = "bolt"
        [listeners.rpc_proxy]
        cluster = "rpc"

        [[clusters]]
        name = "pong"
        type = "strict_dns"
        dns_refresh_rate = "200ms"
        hosts = ["localhost:{{pong.EndPoint.Port}}"]

        [[clusters]]
        name = "web"
        hosts = ["{{web.EndPoint}}"]
        health_check = { type = "http", path = "/health", interval = "200ms", timeout = "2s", unhealthy_threshold = 5, healthy_threshold = 1 }

        [[clusters]]
        name = "rpc"
        hosts = ["{{rpc.EndPoint}}"]
        health_check = { type = "tcp", interval = "200ms", timeout = "2s", unhealthy_threshold = 5, healthy_threshold = 1 }
        """;

    /// <summary>
    /// Drives <paramref name="proxy"/> (pid <paramref name="meshedgePid"/>) through everything, upgrade
    /// included; returns the pid of the successor, which serves alone by then. <paramref name="lookups"/>
    /// counts the DNS lookups made so far.
    /// </summary>
    private static async Task<int> ExerciseEverythingAsync(ProxyUnderTest proxy, int meshedgePid, PongServer pong, HttpUpstream web, BoltUpstream rpc, Func<int> lookups)
    {
        var tcp = await proxy.ListenerAddressAsync("tcp");
        var http = await proxy.ListenerAddressAsync("web");
        var bolt = await proxy.ListenerAddressAsync("bolt");
        var admin = await proxy.ListenerAddressAsync("admin");

        using var boltClient = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await boltClient.ConnectAsync(bolt);
        var peers = new Peers(pong, web, rpc, lookups);
        await ServeEverythingAsync(proxy, "before the upgrade", tcp, http, boltClient, admin, peers, firstCallId: 1);

        Assert.Equal(0, Libc.Kill(meshedgePid, Libc.SigHup));
        var complete = await proxy.WaitForLogAsync("upgrade complete", Patience, line => line.GetValueOrDefault("predecessor_pid") == $"{meshedgePid}");
        var successor = int.Parse(complete["pid"]);
        var migrated = await proxy.WaitForLogAsync("upgrade: connections migrated", Patience, line => line.GetValueOrDefault("pid") == $"{meshedgePid}");
        Assert.True(migrated.GetValueOrDefault("migrated") == "1", $"the Bolt connection did not move to the successor: {string.Join(' ', migrated)}\n{proxy.Stderr}");

        // Once the old process has gone, the successor alone serves it all, the moved Bolt connection included.
        await proxy.WaitForLogAsync("stopped", Patience, line => line.GetValueOrDefault("pid") == $"{meshedgePid}");
        await ServeEverythingAsync(proxy, "after the upgrade", tcp, http, boltClient, admin, peers, firstCallId: 100);
        return successor;
    }

    private static async Task ServeEverythingAsync(ProxyUnderTest proxy, string when, IPEndPoint tcp, IPEndPoint http, Socket boltClient, IPEndPoint admin, Peers peers, uint firstCallId)
    {
        var (pong, web, rpc) = (peers.Pong, peers.Web, peers.Rpc);
        var (healthChecks, tcpProbes, lookups) = (web.HealthChecks, rpc.SilentConnections, peers.Lookups());

        // TCP to the strict_dns cluster: it has a host only once localhost resolved.
        await pong.AssertProxiedAsync(tcp);
        await pong.AssertProxiedAsync(tcp);

        using (var client = new HttpClient { Timeout = Patience })
        {
            var requests = web.Requests;
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal("ok", await client.GetStringAsync($"http://{http}/hello/{i}"));
            }

            Assert.True(web.Requests >= requests + 3, $"{when}: the HTTP upstream saw {web.Requests - requests} of 3 requests");
            foreach (var path in AdminPaths)
            {
                using var response = await client.GetAsync($"http://{admin}{path}");
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{when}: admin {path} answered {(int)response.StatusCode}");
                Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
            }
        }

        var calls = rpc.Calls;
        for (var id = firstCallId; id < firstCallId + 3; id++)
        {
            await CallAsync(boltClient, id, when);
        }

        Assert.True(rpc.Calls >= calls + 3, $"{when}: the Bolt upstream answered {rpc.Calls - calls} of 3 calls");

        // Both active checks probe again, and the strict_dns name is looked up again, in this phase.
        Assert.True(
            await WaitUntilAsync(() => web.HealthChecks >= healthChecks + 2 && rpc.SilentConnections >= tcpProbes + 2 && peers.Lookups() >= lookups + 2),
            $"{when}: {web.HealthChecks - healthChecks} HTTP and {rpc.SilentConnections - tcpProbes} TCP health-check probes, {peers.Lookups() - lookups} DNS lookups " +
            $"in {Patience.TotalSeconds:0}s (wanted 2 of each)\n{proxy.Stderr}");
    }

    /// <summary>One Bolt call on <paramref name="client"/>; the answer must be a success for the same id.</summary>
    private static async Task CallAsync(Socket client, uint id, string when)
    {
        using var deadline = new CancellationTokenSource(Patience);
        await client.SendAsync(BoltFrames.Request(id), SocketFlags.None, deadline.Token);
        var answer = await BoltFrames.ReadAsync(client, deadline.Token);
        Assert.True(answer is { Type: BoltFrames.TypeResponse, Status: 0 } && answer.Id == id,
            $"{when}: Bolt call {id} got {(answer is null ? "the connection closed" : $"type {answer.Type}, id {answer.Id}, status {answer.Status}")}");
    }

    /// <summary>The upstreams behind the traced proxy, and how many DNS lookups it has made so far.</summary>
    private sealed record Peers(PongServer Pong, HttpUpstream Web, BoltUpstream Rpc, Func<int> Lookups);

    private static async Task<bool> WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }
}
