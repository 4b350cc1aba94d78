using MeshEdge.Config.Tests.TestSupport;
using static MeshEdge.Config.Tests.Envoy.EnvoyBootstrapText;

namespace MeshEdge.Config.Tests.Envoy;

/// <summary>What cannot be translated is reported by key path; what carries security refuses the config.</summary>
public sealed class EnvoyUnsupportedTests
{
    private static ConfigLoadResult Load(string json) => ConfigLoader.LoadJson(json, "envoy.json");

    private static string[] UnsupportedPaths(ConfigLoadResult result) => [.. result.Translation!.Unsupported.Select(u => u.Path)];

    [Fact]
    public void Unknown_keys_and_filters_are_reported_by_path_and_the_rest_runs()
    {
        var fault = """{ "name": "envoy.filters.http.fault", "typed_config": { "@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault" } },""";
        var json = Bootstrap(Listener(HttpFilter(Route(), managerExtra: """, "tracing": {}, "codec_type": "HTTP2" """, httpFilters: fault), extra: """, "listener_filters": [ { "name": "envoy.filters.listener.tls_inspector" } ]"""), Cluster(),
            top: """ "stats_config": { "use_all_default_tags": false }, "dynamic_resources": { "ads_config": { "api_type": "DELTA_GRPC", "grpc_services": [ { "envoy_grpc": { "cluster_name": "xds-grpc" } } ] } },""");

        var result = Load(json);

        LoadAssert.Succeeds(result);
        Assert.Equal(
            [
                "static_resources.listeners[0].listener_filters",
                "static_resources.listeners[0].filter_chains[0].filters[0].typed_config.codec_type",
                "static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[0]",
                "static_resources.listeners[0].filter_chains[0].filters[0].typed_config.tracing",
                "stats_config",
            ],
            UnsupportedPaths(result));
        Assert.Equal(new Model.AdsConfig("DELTA_GRPC", "xds-grpc"), result.Config!.Ads);
        var listeners = Assert.Single(result.Translation!.Resources, r => r.Type == "listener");
        Assert.Equal((1, 0, 1, 0), (listeners.Total, listeners.Supported, listeners.Partly, listeners.Unsupported));
    }

    [Fact]
    public void A_route_with_a_match_that_cannot_be_honoured_is_left_out_whole()
    {
        var routes = Route("""{ "prefix": "/a", "headers": [ { "name": "x", "string_match": { "suffix": "z" } } ] }""") + "," + Route();

        var result = Load(Bootstrap(Listener(HttpFilter(routes)), Cluster()));

        var config = LoadAssert.Succeeds(result);
        Assert.Equal("/", Assert.Single(Assert.Single(config.Listeners[0].Http!.VirtualHosts).Routes).Match.PathValue);
        Assert.Equal(["static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[0].match.headers[0].string_match.suffix"], UnsupportedPaths(result));
        var routeCounts = Assert.Single(result.Translation!.Resources, r => r.Type == "route");
        Assert.Equal((2, 1, 1), (routeCounts.Total, routeCounts.Supported, routeCounts.Unsupported));
    }

    [Theory]
    [InlineData("envoy.filters.network.rbac", "type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC")]
    [InlineData("envoy.filters.network.ext_authz", "type.googleapis.com/envoy.extensions.filters.network.ext_authz.v3.ExtAuthz")]
    public void A_security_network_filter_refuses_the_config(string name, string type)
    {
        var filter = $$"""{ "name": "{{name}}", "typed_config": { "@type": "{{type}}" } },""";

        var error = LoadAssert.SingleError(Load(Bootstrap(Listener(filter + TcpFilter()), Cluster())));

        Assert.Equal("static_resources.listeners[0].filter_chains[0].filters[0]", error.Path);
        Assert.StartsWith($"network filter {type[(type.LastIndexOf('/') + 1)..]} enforces security and is not supported", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_security_http_filter_refuses_the_config()
    {
        var jwt = """{ "name": "envoy.filters.http.jwt_authn", "typed_config": { "@type": "type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication" } },""";

        var error = LoadAssert.SingleError(Load(Bootstrap(Listener(HttpFilter(Route(), httpFilters: jwt)), Cluster())));

        Assert.Equal("static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[0]", error.Path);
    }

    [Fact]
    public void A_transport_socket_of_an_unknown_tls_type_refuses_the_config()
    {
        var downstream = """, "transport_socket": { "name": "envoy.transport_sockets.tls", "typed_config": { "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext" } }""";
        var upstream = """, "transport_socket": { "name": "envoy.transport_sockets.starttls" }""";

        var errors = LoadAssert.Fails(Load(Bootstrap(Listener(TcpFilter(), chainExtra: downstream), Cluster(extra: upstream))));

        Assert.Equal(
            [
                "static_resources.clusters[0].transport_socket: transport socket envoy.transport_sockets.starttls is not supported (envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext is); the cluster would fall back to plaintext, so the config is refused",
                "static_resources.listeners[0].filter_chains[0].transport_socket: transport socket envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext is not supported (envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext is); the listener would fall back to plaintext, so the config is refused",
            ],
            errors);
    }

    [Fact]
    public void A_plaintext_transport_socket_is_accepted()
    {
        var raw = """, "transport_socket": { "name": "envoy.transport_sockets.raw_buffer", "typed_config": { "@type": "type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer" } }""";

        var result = Load(Bootstrap(Listener(TcpFilter(), chainExtra: raw), Cluster()));

        LoadAssert.Succeeds(result);
        Assert.Empty(result.Translation!.Unsupported);
    }

    [Fact]
    public void Type_urls_are_checked()
    {
        var v2 = """{ "name": "envoy.tcp_proxy", "typed_config": { "@type": "type.googleapis.com/envoy.config.filter.network.tcp_proxy.v2.TcpProxy", "cluster": "backend" } }""";

        var errors = LoadAssert.Fails(Load(Bootstrap(Listener(v2), Cluster())));

        Assert.Contains("static_resources.listeners[0].filter_chains[0].filters[0].typed_config.\"@type\": \"envoy.config.filter.network.tcp_proxy.v2.TcpProxy\" is Envoy's v2 API, which Envoy itself no longer reads; use the v3 type", errors);
    }

    [Fact]
    public void Binder_errors_name_the_envoy_key_path()
    {
        var errors = LoadAssert.Fails(Load(Bootstrap(Listener(TcpFilter("missing")), Cluster(extra: """, "connect_timeout": "soon" """.Replace(", \"connect_timeout\": \"soon\" ", ", \"dns_refresh_rate\": \"1s\"", StringComparison.Ordinal)))));

        Assert.Equal(
            [
                "static_resources.clusters[0].dns_refresh_rate: needs type = \"strict_dns\"",
                "static_resources.listeners[0].filter_chains[0].filters[0].typed_config.cluster: unknown cluster \"missing\"",
            ],
            errors);
    }

    [Fact]
    public void Rds_leaves_the_listener_out_and_says_why()
    {
        var rds = $$"""
            { "name": "envoy.filters.network.http_connection_manager", "typed_config": { "@type": "{{Hcm}}", "stat_prefix": "in",
              "rds": { "route_config_name": "r", "config_source": { "ads": {} } },
              "http_filters": [ { "name": "envoy.filters.http.router", "typed_config": { "@type": "{{Router}}" } } ] } }
            """;

        var result = Load(Bootstrap(Listener(rds) + "," + Listener(TcpFilter(), 10001), Cluster()));

        var config = LoadAssert.Succeeds(result);
        Assert.Equal("l10001", Assert.Single(config.Listeners).Name);
        Assert.Contains(result.Translation!.Unsupported, u => u.Path.EndsWith("typed_config.rds", StringComparison.Ordinal) && u.Reason.Contains("xDS client", StringComparison.Ordinal));
    }
}
