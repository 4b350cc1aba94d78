using MeshEdge.Config.Model;

namespace MeshEdge.Config.Binding;

/// <summary>
/// A cluster's <c>protocol</c> key and its <c>http2</c> table. "h2" is HTTP/2 over TLS when the
/// cluster has a <c>tls</c> table (ALPN offers "h2" alone: the pool speaks HTTP/2 on every
/// connection, so a server that picked HTTP/1.1 would be misread) and cleartext with prior knowledge
/// without one; "h2c" says the latter explicitly and refuses a <c>tls</c> table.
/// </summary>
internal static class ClusterProtocolBinder
{
    private const string Key = "protocol";
    private const string Http2Key = "http2";

    private static readonly (string Name, string Value)[] Names = [("http1", "http1"), ("h2", "h2"), ("h2c", "h2c")];

    public static (UpstreamProtocol Protocol, Http2ProtocolConfig Http2) Bind(TableReader cluster, ref UpstreamTlsConfig? tls)
    {
        var name = cluster.Choice(Key, "http1", "upstream protocol", Names);
        var http2 = BindHttp2(cluster);
        if (name == "http1")
        {
            if (cluster.Table.TryGet(Http2Key, out _))
            {
                cluster.Errors.Add(cluster.ChildPath(Http2Key), cluster.Table.PositionOf(Http2Key), "needs protocol = \"h2\" (or \"h2c\")");
            }

            return (UpstreamProtocol.Http1, http2);
        }

        if (tls is null)
        {
            return (UpstreamProtocol.Http2, http2);
        }

        if (name == "h2c")
        {
            cluster.Errors.Add(cluster.ChildPath(Key), cluster.Table.PositionOf(Key),
                "\"h2c\" is HTTP/2 without TLS, but the cluster has a tls table: use \"h2\" for HTTP/2 over TLS");
        }
        else if (tls.Alpn.IsEmpty)
        {
            tls = tls with { Alpn = ["h2"] };
        }
        else if (tls.Alpn is not ["h2"])
        {
            cluster.Errors.Add(tls.KeyPath + ".alpn", cluster.Table.PositionOf(TlsBinder.Key),
                "protocol = \"h2\" speaks HTTP/2 on every connection: offer [\"h2\"] alone, or leave alpn out");
        }

        return (UpstreamProtocol.Http2, http2);
    }

    /// <summary>The optional <c>[clusters.http2]</c> table.</summary>
    private static Http2ProtocolConfig BindHttp2(TableReader cluster)
    {
        if (cluster.OptionalTableReader(Http2Key) is not { } reader)
        {
            return Http2ProtocolConfig.Default;
        }

        var defaults = Http2ProtocolConfig.Default;

        // RFC 9113 6.5.2 and 6.9.1: windows from 65,535 bytes up to 2^31-1.
        const int maxWindow = int.MaxValue;
        var streams = reader.Int("max_concurrent_streams", defaults.MaxConcurrentStreams, 1, 10_000);
        var streamWindow = reader.ByteSize("initial_stream_window_size", defaults.InitialStreamWindowSize, 65_535, maxWindow);
        var connectionWindow = reader.ByteSize("initial_connection_window_size", defaults.InitialConnectionWindowSize, 65_535, maxWindow);
        var interval = reader.Duration("keepalive_interval", defaults.KeepaliveInterval, allowZero: true);
        var timeout = reader.Duration("keepalive_timeout", defaults.KeepaliveTimeout, allowZero: false);
        var settingsTimeout = reader.Duration("settings_timeout", defaults.SettingsTimeout, allowZero: true);
        reader.ReportUnknownKeys();
        return new Http2ProtocolConfig(streams, streamWindow, connectionWindow, interval, timeout) { SettingsTimeout = settingsTimeout };
    }
}
