using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;
using static MeshEdge.Config.Tests.Envoy.EnvoyBootstrapText;

namespace MeshEdge.Config.Tests.Envoy;

/// <summary>An Envoy cluster's http2_protocol_options, old place and new, into protocol = "h2" and its http2 table.</summary>
public sealed class EnvoyHttp2ClusterTests
{
    private static ConfigLoadResult Load(string cluster) =>
        ConfigLoader.LoadJson(Bootstrap(Listener(HttpFilter(Route())), cluster), "envoy.json");

    [Fact]
    public void Typed_extension_protocol_options_with_explicit_http2_make_an_h2_cluster()
    {
        var result = Load(Cluster(extra: """
            , "typed_extension_protocol_options": { "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                "explicit_http_config": { "http2_protocol_options": {
                  "max_concurrent_streams": 64, "initial_stream_window_size": 1048576, "initial_connection_window_size": 4194304,
                  "connection_keepalive": { "interval": "30s", "timeout": "5s" } } },
                "common_http_protocol_options": { "idle_timeout": "90s", "max_requests_per_connection": 1000 } } }
            """));

        var cluster = Assert.Single(LoadAssert.Succeeds(result).Clusters);
        Assert.Equal(UpstreamProtocol.Http2, cluster.Protocol);
        Assert.Equal(new Http2ProtocolConfig(64, 1 << 20, 4 << 20, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5)), cluster.Http2);
        Assert.Equal(new ConnectionPoolConfig(TimeSpan.FromSeconds(90), ConnectionPoolConfig.Default.MaxIdlePerHost, 1000), cluster.ConnectionPool);
        Assert.Empty(result.Translation!.Unsupported);
    }

    [Fact]
    public void The_cluster_level_http2_protocol_options_make_an_h2_cluster_with_defaults()
    {
        var result = Load(Cluster(extra: """, "http2_protocol_options": {} """));

        var cluster = Assert.Single(LoadAssert.Succeeds(result).Clusters);
        Assert.Equal((UpstreamProtocol.Http2, Http2ProtocolConfig.Default), (cluster.Protocol, cluster.Http2));
        Assert.Empty(result.Translation!.Unsupported);
    }

    [Fact]
    public void Auto_config_is_reported_and_the_cluster_stays_http1()
    {
        var result = Load(Cluster(extra: """
            , "typed_extension_protocol_options": { "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                "auto_config": { "http2_protocol_options": {} } } }
            """));

        Assert.Equal(UpstreamProtocol.Http1, Assert.Single(LoadAssert.Succeeds(result).Clusters).Protocol);
        var unsupported = Assert.Single(result.Translation!.Unsupported);
        Assert.EndsWith("HttpProtocolOptions\".auto_config", unsupported.Path, StringComparison.Ordinal);
    }
}
