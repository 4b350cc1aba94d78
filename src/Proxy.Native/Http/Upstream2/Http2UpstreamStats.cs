namespace MeshEdge.Native.Http.Upstream2;

/// <summary>
/// One worker's HTTP/2 counters for one cluster (a cluster with <c>protocol = "h2"</c>), beside the
/// connection counters every HTTP cluster keeps: plain fields, merged only when read.
/// </summary>
internal sealed class Http2UpstreamStats
{
    public long ConnectionsTotal;
    public long ConnectionsActive;
    public long StreamsTotal;
    public long StreamsActive;

    /// <summary>GOAWAY frames the upstream sent, and RST_STREAM frames it sent and we sent.</summary>
    public long GoAwaysReceived;
    public long ResetsReceived;
    public long ResetsSent;

    /// <summary>Streams the upstream did not process (REFUSED_STREAM, or above a GOAWAY's last id): safe to retry.</summary>
    public long StreamsUnprocessed;

    /// <summary>Connections closed because a keepalive PING went unanswered.</summary>
    public long KeepaliveTimeouts;

    /// <summary>Connections closed (GOAWAY SETTINGS_TIMEOUT) because the upstream never acknowledged our SETTINGS.</summary>
    public long SettingsTimeouts;

    /// <summary>Connections ended by a protocol error on either side (a GOAWAY with a code other than NO_ERROR).</summary>
    public long ConnectionErrors;

    public void Add(Http2UpstreamStats other)
    {
        ConnectionsTotal += other.ConnectionsTotal;
        ConnectionsActive += other.ConnectionsActive;
        StreamsTotal += other.StreamsTotal;
        StreamsActive += other.StreamsActive;
        GoAwaysReceived += other.GoAwaysReceived;
        ResetsReceived += other.ResetsReceived;
        ResetsSent += other.ResetsSent;
        StreamsUnprocessed += other.StreamsUnprocessed;
        KeepaliveTimeouts += other.KeepaliveTimeouts;
        SettingsTimeouts += other.SettingsTimeouts;
        ConnectionErrors += other.ConnectionErrors;
    }
}
