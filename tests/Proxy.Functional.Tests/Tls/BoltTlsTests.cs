using MeshEdge.Functional.Tests.Bolt;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// Bolt over TLS through the RPC proxy, between real SOFA peers: sofa-rpc-node's client speaks to a
/// socat that originates TLS to MeshEdge's Bolt listener (which terminates it), and MeshEdge
/// originates mutual TLS to a socat that terminates it in front of a sofa-rpc-node server and
/// requires MeshEdge's client certificate.
/// </summary>
public sealed class BoltTlsTests(ITestOutputHelper output)
{
    private const string Echo = "com.meshedge.Echo:1.0";

    [Fact]
    public async Task Calls_cross_tls_on_both_sides_of_the_proxy()
    {
        using var certificates = await TestCertificates.CreateAsync();
        var listener = await certificates.IssueAsync("bolt-proxy.test");
        var server = await certificates.IssueAsync("bolt-server.test");
        var client = await certificates.IssueAsync("meshedge.client.test");
        await using var bolt = await BoltServer.StartAsync("a", Echo);
        await using var terminator = await SocatRelay.StartAsync("OPENSSL-LISTEN",
            $",cert={server.Chain},key={server.Key},cafile={certificates.CaPath},verify=1", $"TCP:{bolt.EndPoint}");
        await using var proxy = await ProxyProcess.StartTomlAsync($$"""
            [admin]
            address = "127.0.0.1:0"

            [runtime]
            workers = 1

            [[listeners]]
            name = "inbound"
            address = "127.0.0.1:0"
            protocol = "bolt"

            [listeners.rpc_proxy]
            routes = [ { match = { service_prefix = "com.meshedge." }, cluster = "a" } ]

            [listeners.tls]
            [[listeners.tls.certificates]]
            certificate_chain = "{{listener.Chain}}"
            private_key = "{{listener.Key}}"

            [[clusters]]
            name = "a"
            hosts = ["{{terminator.EndPoint}}"]

            [clusters.tls]
            sni = "bolt-server.test"
            ca = "{{certificates.CaPath}}"
            certificate_chain = "{{client.Chain}}"
            private_key = "{{client.Key}}"
            """, output);
        await using var originator = await SocatRelay.StartAsync("TCP-LISTEN", "",
            $"OPENSSL:{proxy.ListenerAddress()},cafile={certificates.CaPath},verify=1,commonname=bolt-proxy.test");

        var run = await BoltClient.RunAsync(originator.EndPoint, [new BoltCall(Echo, "echo", ["$i"], Count: 50)], mode: "rpc");

        Assert.Equal(50, run.Results.Length);
        foreach (var result in run.Results)
        {
            Assert.True(result.Value == $"a:{result.Index}", $"{result}\n{run.Log}\n{terminator.Describe()}\n{originator.Describe()}");
        }

        Assert.True((await TlsPeers.StatsAsync(proxy)).GetProperty("handshakes").GetInt64() >= 1);
        using var stats = System.Text.Json.JsonDocument.Parse(await proxy.AdminGetAsync("/stats"));
        var upstream = stats.RootElement.GetProperty("clusters").GetProperty("a").GetProperty("tls");
        Assert.True(upstream.GetProperty("handshakes").GetInt64() >= 1, upstream.ToString());
        Assert.Equal(0, upstream.GetProperty("handshake_failures").GetInt64());
        await proxy.StopCleanlyAsync();
        Assert.Equal(50, proxy.RpcListenerStats().RequireLong("rs_success"));
        Assert.Equal(50, bolt.Requests);
    }
}
