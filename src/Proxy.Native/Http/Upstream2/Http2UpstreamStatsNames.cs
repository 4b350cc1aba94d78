namespace MeshEdge.Native.Http.Upstream2;

/// <summary>The names an h2 cluster's counters go by, in /stats, the exit stats line and /metrics alike (Envoy's where Envoy has one).</summary>
internal static class Http2UpstreamStatsNames
{
    public static (string Name, long Value)[] Of(Http2UpstreamStats stats) =>
    [
        ("upstream_cx_http2_total", stats.ConnectionsTotal),
        ("upstream_cx_http2_active", stats.ConnectionsActive),
        ("streams_total", stats.StreamsTotal),
        ("streams_active", stats.StreamsActive),
        ("goaway_rx", stats.GoAwaysReceived),
        ("rx_reset", stats.ResetsReceived),
        ("tx_reset", stats.ResetsSent),
        ("streams_unprocessed", stats.StreamsUnprocessed),
        ("keepalive_timeout", stats.KeepaliveTimeouts),
        ("settings_timeouts", stats.SettingsTimeouts),
        ("connection_errors", stats.ConnectionErrors),
    ];
}
