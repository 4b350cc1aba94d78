using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary>A cluster's <c>protocol</c> key and <c>http2</c> table, in TOML and JSON alike.</summary>
public sealed class UpstreamProtocolConfigTests
{
    private static readonly string Head = OneClusterConfig.Toml(OneClusterConfig.Hosts);

    private static readonly string FullToml = Head + """
        protocol = "h2"

        [clusters.http2]
        max_concurrent_streams = 50
        initial_stream_window_size = "1MiB"
        initial_connection_window_size = 4194304
        keepalive_interval = "30s"
        keepalive_timeout = "3s"
        settings_timeout = "2s"
        """;

    private const string FullJson = """
        {
          "listeners": [{ "name": "l", "address": "127.0.0.1:1", "tcp_proxy": { "cluster": "app" } }],
          "clusters": [{
            "name": "app", "hosts": ["127.0.0.1:8443"], "protocol": "h2",
            "http2": {
              "max_concurrent_streams": 50, "initial_stream_window_size": "1MiB",
              "initial_connection_window_size": 4194304, "keepalive_interval": "30s", "keepalive_timeout": "3s",
              "settings_timeout": "2s"
            }
          }]
        }
        """;

    [Fact]
    public void Toml_and_json_bind_every_key_alike()
    {
        foreach (var config in new[] { LoadAssert.Succeeds(ConfigLoader.LoadToml(FullToml, "h2.toml")), LoadAssert.Succeeds(ConfigLoader.LoadJson(FullJson, "h2.json")) })
        {
            var cluster = config.Clusters[0];
            Assert.Equal(UpstreamProtocol.Http2, cluster.Protocol);
            Assert.Equal(new Http2ProtocolConfig(50, 1 << 20, 4 << 20, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(3)) { SettingsTimeout = TimeSpan.FromSeconds(2) }, cluster.Http2);
            Assert.Null(cluster.Tls);
        }
    }

    [Fact]
    public void Clusters_speak_http1_unless_told_and_h2_has_defaults()
    {
        var plain = LoadAssert.Succeeds(ConfigLoader.LoadToml(Head, "plain.toml")).Clusters[0];
        Assert.Equal(UpstreamProtocol.Http1, plain.Protocol);

        var h2c = LoadAssert.Succeeds(ConfigLoader.LoadToml(Head + "protocol = \"h2c\"\n", "h2c.toml")).Clusters[0];
        Assert.Equal((UpstreamProtocol.Http2, Http2ProtocolConfig.Default), (h2c.Protocol, h2c.Http2));
        Assert.Equal(100, h2c.Http2.MaxConcurrentStreams);
        Assert.Equal(TimeSpan.FromSeconds(10), h2c.Http2.SettingsTimeout);

        // Zero: the server may take as long as it likes to acknowledge our SETTINGS.
        var unbounded = LoadAssert.Succeeds(ConfigLoader.LoadToml(Head + "protocol = \"h2\"\nhttp2 = { settings_timeout = \"0s\" }\n", "unbounded.toml")).Clusters[0];
        Assert.Equal(TimeSpan.Zero, unbounded.Http2.SettingsTimeout);
    }

    [Fact]
    public void H2_over_tls_offers_h2_by_alpn_when_the_table_names_none()
    {
        var cluster = LoadAssert.Succeeds(ConfigLoader.LoadToml(Head + "protocol = \"h2\"\ntls = { sni = \"backend\" }\n", "tls.toml")).Clusters[0];

        Assert.Equal(UpstreamProtocol.Http2, cluster.Protocol);
        Assert.Equal(["h2"], cluster.Tls!.Alpn.ToArray());
    }

    public static TheoryData<string, string, string> Mistakes => new()
    {
        {
            "protocol = \"http2\"",
            """ "protocol": "http2" """,
            "clusters[0].protocol: unknown upstream protocol \"http2\" (expected one of \"http1\", \"h2\", \"h2c\")"
        },
        {
            "protocol = \"h2c\"\ntls = {}",
            """ "protocol": "h2c", "tls": {} """,
            "clusters[0].protocol: \"h2c\" is HTTP/2 without TLS, but the cluster has a tls table: use \"h2\" for HTTP/2 over TLS"
        },
        {
            "protocol = \"h2\"\ntls = { alpn = [\"h2\", \"http/1.1\"] }",
            """ "protocol": "h2", "tls": { "alpn": ["h2", "http/1.1"] } """,
            "clusters[0].tls.alpn: protocol = \"h2\" speaks HTTP/2 on every connection: offer [\"h2\"] alone, or leave alpn out"
        },
        {
            "http2 = { max_concurrent_streams = 10 }",
            """ "http2": { "max_concurrent_streams": 10 } """,
            "clusters[0].http2: needs protocol = \"h2\" (or \"h2c\")"
        },
        {
            "protocol = \"h2\"\nhttp2 = { max_concurrent_streams = 0 }",
            """ "protocol": "h2", "http2": { "max_concurrent_streams": 0 } """,
            "clusters[0].http2.max_concurrent_streams: 0 is out of range (1..10000)"
        },
        {
            "protocol = \"h2\"\nhttp2 = { initial_stream_window_size = 1024 }",
            """ "protocol": "h2", "http2": { "initial_stream_window_size": 1024 } """,
            "clusters[0].http2.initial_stream_window_size: 1024 is out of range (65535..2147483647 bytes)"
        },
        {
            "protocol = \"h2\"\nhttp2 = { keepalive_timeout = \"0s\" }",
            """ "protocol": "h2", "http2": { "keepalive_timeout": "0s" } """,
            "clusters[0].http2.keepalive_timeout: \"0s\" must be greater than zero"
        },
        {
            "protocol = \"h2\"\nhttp2 = { settings_timeout = 10 }",
            """ "protocol": "h2", "http2": { "settings_timeout": 10 } """,
            "clusters[0].http2.settings_timeout: 10 has no unit; expected a duration like \"5s\" (units: us, ms, s, m, h)"
        },
        {
            "protocol = \"h2\"\nhttp2 = { max_streams = 1 }",
            """ "protocol": "h2", "http2": { "max_streams": 1 } """,
            "clusters[0].http2.max_streams: unknown key"
        },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Mistakes_name_the_key_in_toml_and_json_alike(string toml, string jsonKeys, string expected)
    {
        OneClusterConfig.FailsAlike(OneClusterConfig.Hosts + "\n" + toml, OneClusterConfig.JsonHosts + ", " + jsonKeys, expected);
    }
}
