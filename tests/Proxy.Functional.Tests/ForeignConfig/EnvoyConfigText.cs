using System.Net;

namespace MeshEdge.Functional.Tests.ForeignConfig;

/// <summary>Envoy v3 bootstraps for the functional tests: listeners on port 0 (the harness reads the real port
/// from "listener started"), clusters pointing at the tests' own loopback upstreams.</summary>
internal static class EnvoyConfigText
{
    public static string Address(string ip, int port) =>
        $$"""{ "socket_address": { "address": "{{ip}}", "port_value": {{port}} } }""";

    public static string Cluster(string name, IPEndPoint host, string extra = "") => $$"""
        {
          "name": "{{name}}", "type": "STATIC", "connect_timeout": "1s", "lb_policy": "ROUND_ROBIN"{{extra}},
          "load_assignment": { "cluster_name": "{{name}}", "endpoints": [ { "lb_endpoints": [
            { "endpoint": { "address": {{Address(host.Address.ToString(), host.Port)}} } } ] } ] }
        }
        """;

    /// <summary>An HTTP listener: /healthz answered by the proxy, everything else to <paramref name="cluster"/>.</summary>
    public static string HttpListener(string name, string cluster, string httpFilters = "") => $$"""
        {
          "name": "{{name}}", "address": {{Address("127.0.0.1", 0)}},
          "filter_chains": [ { "filters": [ {
            "name": "envoy.filters.network.http_connection_manager",
            "typed_config": {
              "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
              "stat_prefix": "{{name}}",
              "route_config": { "name": "local", "virtual_hosts": [ { "name": "all", "domains": ["*"], "routes": [
                { "match": { "path": "/healthz" }, "direct_response": { "status": 200, "body": { "inline_string": "envoy-config-ok" } } },
                { "match": { "prefix": "/" }, "route": { "cluster": "{{cluster}}", "timeout": "10s" } } ] } ] },
              "http_filters": [ {{httpFilters}}{ "name": "envoy.filters.http.router", "typed_config": { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" } } ]
            } } ] } ]
        }
        """;

    public static string TcpListener(string name, string cluster) => $$"""
        {
          "name": "{{name}}", "address": {{Address("127.0.0.1", 0)}},
          "filter_chains": [ { "filters": [ { "name": "envoy.filters.network.tcp_proxy", "typed_config": {
            "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy", "stat_prefix": "{{name}}", "cluster": "{{cluster}}" } } ] } ]
        }
        """;

    public static string Bootstrap(string listeners, string clusters, string extra = "") => $$"""
        {
          "node": { "id": "sidecar~127.0.0.1~test.default~default.svc.cluster.local", "cluster": "test" },
          "admin": { "address": {{Address("127.0.0.1", 0)}} },
          "static_resources": { "listeners": [ {{listeners}} ], "clusters": [ {{clusters}} ] }{{extra}}
        }
        """;
}
