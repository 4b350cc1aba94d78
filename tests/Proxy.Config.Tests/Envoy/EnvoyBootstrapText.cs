namespace MeshEdge.Config.Tests.Envoy;

/// <summary>Small Envoy v3 bootstraps for the translation tests, built from parts.</summary>
internal static class EnvoyBootstrapText
{
    public const string Hcm = "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
    public const string Router = "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router";
    public const string TcpProxy = "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy";

    public static string Address(string ip, int port) =>
        $$"""{ "socket_address": { "address": "{{ip}}", "port_value": {{port}} } }""";

    public static string Cluster(string name = "backend", string extra = "", int port = 8080) => $$"""
        {
          "name": "{{name}}", "type": "STATIC", "connect_timeout": "0.25s"{{extra}},
          "load_assignment": { "cluster_name": "{{name}}", "endpoints": [ { "lb_endpoints": [
            { "endpoint": { "address": {{Address("127.0.0.1", port)}} } } ] } ] }
        }
        """;

    public static string HttpFilter(string routes, string managerExtra = "", string httpFilters = "") => $$"""
        {
          "name": "envoy.filters.network.http_connection_manager",
          "typed_config": {
            "@type": "{{Hcm}}", "stat_prefix": "in"{{managerExtra}},
            "route_config": { "name": "r", "virtual_hosts": [ { "name": "vh", "domains": ["*"], "routes": [ {{routes}} ] } ] },
            "http_filters": [ {{httpFilters}}{ "name": "envoy.filters.http.router", "typed_config": { "@type": "{{Router}}" } } ]
          }
        }
        """;

    public static string TcpFilter(string cluster = "backend") => $$"""
        { "name": "envoy.filters.network.tcp_proxy", "typed_config": { "@type": "{{TcpProxy}}", "stat_prefix": "tcp", "cluster": "{{cluster}}" } }
        """;

    public static string Listener(string filters, int port = 10000, string extra = "", string chainExtra = "") => $$"""
        {
          "name": "l{{port}}", "address": {{Address("127.0.0.1", port)}}{{extra}},
          "filter_chains": [ { "filters": [ {{filters}} ]{{chainExtra}} } ]
        }
        """;

    public static string Bootstrap(string listeners, string clusters, string top = "") => $$"""
        {
          {{top}}
          "static_resources": { "listeners": [ {{listeners}} ], "clusters": [ {{clusters}} ] }
        }
        """;

    public static string Route(string match = """{ "prefix": "/" }""", string action = "\"route\": { \"cluster\": \"backend\" }") =>
        $$"""{ "match": {{match}}, {{action}} }""";
}
