using System.Net;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Bolt;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.ForeignConfig;

/// <summary>The AOT binary run on MOSN's own JSON config: an HTTP/1 proxy (curl) and a Bolt proxy (sofa-rpc-node).</summary>
public sealed class MosnConfigProxyTests(ITestOutputHelper output)
{
    private const string Echo = "com.meshedge.Echo:1.0";

    private static string Mosn(string downstream, string routers, IPEndPoint host) => $$"""
        {
          "servers": [ {
            "default_log_path": "stdout",
            "routers": [ { "router_config_name": "router", "virtual_hosts": [ { "name": "host", "domains": ["*"], "routers": [ {{routers}} ] } ] } ],
            "listeners": [ { "name": "mosn_listener", "address": "127.0.0.1:0", "bind_port": true,
              "filter_chains": [ { "filters": [ { "type": "proxy",
                "config": { "downstream_protocol": "{{downstream}}", "upstream_protocol": "{{downstream}}", "router_config_name": "router" } } ] } ] } ]
          } ],
          "cluster_manager": { "clusters": [
            { "name": "serverCluster", "type": "SIMPLE", "lb_type": "LB_RANDOM", "hosts": [ { "address": "{{host}}" } ] } ] },
          "admin": { "address": { "socket_address": { "address": "127.0.0.1", "port_value": 0 } } }
        }
        """;

    [Fact]
    public async Task AnHttp1ConfigProxies()
    {
        await using var http = HttpBackend.Start();
        var config = Mosn("Http1", """{ "match": { "prefix": "/" }, "route": { "cluster_name": "serverCluster" } }""", http.EndPoint);
        await using var proxy = await ProxyProcess.StartWithFileAsync("mosn.json", config, output);

        var curl = await ToolRun.CurlAsync($"http://{proxy.ListenerAddress("mosn_listener")}/through-mosn-config");

        Assert.True(curl.ExitCode == 0 && curl.Stdout == "ok /through-mosn-config", curl.ToString());
        Assert.Equal("LIVE\n", await proxy.AdminGetAsync("/ready"));
        await proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task ABoltConfigProxiesABoltCall()
    {
        await using var server = await BoltServer.StartAsync("a", Echo);
        var routers = $$"""{ "match": { "headers": [ { "name": "service", "value": "{{Echo}}" } ] }, "route": { "cluster_name": "serverCluster" } }""";
        await using var proxy = await ProxyProcess.StartWithFileAsync("mosn.json", Mosn("bolt", routers, server.EndPoint), output);

        var run = await BoltClient.RunAsync(proxy.ListenerAddress("mosn_listener"), [new BoltCall(Echo, "echo", ["$i"], Count: 20)], mode: "rpc");

        Assert.Equal(20, run.Results.Length);
        foreach (var result in run.Results)
        {
            Assert.True(result.Value == $"a:{result.Index}", $"{result}\n{run.Log}");
        }

        await proxy.StopCleanlyAsync();
        Assert.Equal(20, proxy.RpcListenerStats("mosn_listener").RequireLong("rs_success"));
        Assert.Equal(20, server.Requests);
    }
}
