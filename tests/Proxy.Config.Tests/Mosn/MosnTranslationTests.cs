using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests.Mosn;

public sealed class MosnTranslationTests
{
    private static ConfigLoadResult Load(string json) => ConfigLoader.LoadJson(json, "mosn.json");

    private static string Config(string listenerFilters, string routers, string clusters = """{ "Name": "serverCluster", "type": "SIMPLE", "lb_type": "LB_RANDOM", "hosts": [ { "address": "127.0.0.1:8080" } ] }""", string listenerExtra = "") => $$"""
        {
          "servers": [ {
            "default_log_path": "stdout", "default_log_level": "DEBUG", "processor": 2, "graceful_timeout": "10s",
            "routers": [ {{routers}} ],
            "listeners": [ { "name": "serverListener", "address": "127.0.0.1:2046", "bind_port": true{{listenerExtra}},
              "filter_chains": [ { "filters": [ {{listenerFilters}} ] } ] } ]
          } ],
          "cluster_manager": { "clusters": [ {{clusters}} ] },
          "admin": { "address": { "socket_address": { "address": "127.0.0.1", "port_value": 34901 } } }
        }
        """;

    private static string Proxy(string down, string up, string extra = "") =>
        $$"""{ "type": "proxy", "config": { "downstream_protocol": "{{down}}", "upstream_protocol": "{{up}}", "router_config_name": "server_router"{{extra}} } }""";

    private static string Router(string routers) =>
        $$"""{ "router_config_name": "server_router", "virtual_hosts": [ { "name": "serverHost", "domains": ["*"], "routers": [ {{routers}} ] } ] }""";

    [Fact]
    public void Http1_listener_routes_clusters_runtime_and_admin_are_translated()
    {
        var routers = Router("""
            { "match": { "prefix": "/api", "headers": [ { "name": "X-Canary", "value": "1" } ] }, "route": { "cluster_name": "serverCluster", "timeout": "2s" } },
            { "match": { "path": "/ping" }, "direct_response": { "status": 200, "body": "pong" } }
            """);

        var result = Load(Config(Proxy("Http1", "Http1"), routers));
        var config = LoadAssert.Succeeds(result);

        var listener = Assert.Single(config.Listeners);
        Assert.Equal(("serverListener", "127.0.0.1:2046", ListenerProtocol.Http), (listener.Name, listener.Address.ToString(), listener.Protocol));
        var routes = Assert.Single(listener.Http!.VirtualHosts).Routes;
        Assert.Equal(("/api", "serverCluster", TimeSpan.FromSeconds(2)), (routes[0].Match.PathValue, routes[0].Cluster, routes[0].Timeout));
        Assert.Equal(new ValueMatchConfig("x-canary", ValueMatchKind.Exact, "1"), Assert.Single(routes[0].Match.Headers));
        Assert.Equal(new DirectResponseConfig(200, "pong"), routes[1].DirectResponse);
        var cluster = Assert.Single(config.Clusters);
        Assert.Equal(("serverCluster", LoadBalancerPolicy.Random), (cluster.Name, cluster.LbPolicy));
        Assert.Equal((2, LogLevel.Debug, TimeSpan.FromSeconds(10)), (config.Runtime.Workers, config.Runtime.LogLevel, config.Runtime.DrainTimeout));
        Assert.Equal("127.0.0.1:34901", config.Admin!.Address.ToString());
        Assert.Empty(result.Translation!.Unsupported);
        Assert.Equal("MOSN", result.Translation.Format);
    }

    [Theory]
    [InlineData("SofaRpc", "SofaRpc", "")]
    [InlineData("bolt", "bolt", "")]
    [InlineData("X", "X", """, "extend_config": { "sub_protocol": "bolt" }""")]
    public void Bolt_listener_routes_on_the_service_header(string down, string up, string extra)
    {
        var routers = Router("""
            { "match": { "headers": [ { "name": "service", "value": "com.alipay.test.TestService:1.0" } ] }, "route": { "cluster_name": "serverCluster" } },
            { "match": { "headers": [ { "name": "service", "value": "com\\.alipay\\..*", "regex": true } ] }, "route": { "cluster_name": "serverCluster", "timeout": "1s" } }
            """);

        var config = LoadAssert.Succeeds(Load(Config(Proxy(down, up, extra), routers)));

        var listener = Assert.Single(config.Listeners);
        Assert.Equal(ListenerProtocol.Bolt, listener.Protocol);
        var routes = listener.RpcProxy!.Routes;
        Assert.Equal(("com.alipay.test.TestService:1.0", "serverCluster"), (routes[0].Match.Service, routes[0].Cluster));
        Assert.Equal(("com\\.alipay\\..*", TimeSpan.FromSeconds(1)), (routes[1].Match.ServiceRegex, routes[1].Timeout));
    }

    [Fact]
    public void The_older_connection_manager_filter_supplies_the_router()
    {
        // MOSN's http-sample: the routes live in a connection_manager filter beside the proxy filter, and "Name" is capitalised.
        var filters = Proxy("Http1", "Http1") + """
            , { "type": "connection_manager", "config": { "router_config_name": "server_router", "virtual_hosts": [ { "name": "serverHost", "domains": ["*"],
                "routers": [ { "match": { "prefix": "/" }, "route": { "cluster_name": "serverCluster" } } ] } ] } }
            """;

        var config = LoadAssert.Succeeds(Load(Config(filters, "")));

        Assert.Equal("serverCluster", Assert.Single(Assert.Single(config.Listeners[0].Http!.VirtualHosts).Routes).Cluster);
    }

    [Fact]
    public void Unsupported_protocols_and_filters_are_reported_and_tls_refuses()
    {
        var routers = Router("""{ "match": { "prefix": "/" }, "route": { "cluster_name": "serverCluster" } }""");
        var result = Load(Config(Proxy("Http1", "Http2"), routers, listenerExtra: """, "stream_filters": [ { "type": "healthcheck", "config": {} } ]"""));

        var errors = LoadAssert.Fails(result);
        Assert.Contains("servers[0].listeners[0].filter_chains[0].filters[0].config.downstream_protocol", result.Translation!.Unsupported.Select(u => u.Path));
        Assert.Contains("servers[0].listeners[0].stream_filters[0]", result.Translation.Unsupported.Select(u => u.Path));
        Assert.Equal(["servers: at least one listener is required"], errors);

        var tls = Config(Proxy("Http1", "Http1"), routers).Replace("\"filters\": [", "\"tls_context\": { \"status\": true }, \"filters\": [", StringComparison.Ordinal);
        var refused = LoadAssert.SingleError(Load(tls));
        Assert.Equal("servers[0].listeners[0].filter_chains[0].tls_context.status", refused.Path);
    }

    [Fact]
    public void A_missing_router_and_an_unknown_cluster_name_their_mosn_paths()
    {
        var routers = Router("""{ "match": { "prefix": "/" }, "route": { "cluster_name": "nowhere" } }""");

        var errors = LoadAssert.Fails(Load(Config(Proxy("Http1", "Http1"), routers)));

        Assert.Equal(["servers[0].routers[0].virtual_hosts[0].routers[0].route.cluster_name: unknown cluster \"nowhere\""], errors);
    }
}
