namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>
/// What one connection has seen, read by the session for /stats and /metrics (sum them per worker).
/// A plain struct of counts: reading it allocates nothing, and the connection only adds.
/// </summary>
internal struct Http2ConnectionCounters
{
    public long StreamsOpened;
    public long StreamsClosed;

    /// <summary>RST_STREAM sent, and received.</summary>
    public long ResetsSent;
    public long ResetsReceived;

    public long GoAwaysSent;
    public long GoAwaysReceived;

    /// <summary>Streams refused with REFUSED_STREAM at the concurrency limit.</summary>
    public long RefusedStreams;

    /// <summary>Resets that count against the rapid reset budget: the peer's before our response, and ours for its stream errors (MadeYouReset).</summary>
    public long PrematureResets;

    /// <summary>Of those, the resets we were made to send (CVE-2025-8671).</summary>
    public long ResetsProvoked;

    /// <summary>Connections ended for spending the premature reset budget.</summary>
    public long RapidResetTrips;

    /// <summary>Field blocks over the header list size or field count: the stream reset.</summary>
    public long HeaderListTooLarge;

    /// <summary>Field blocks HPACK could not decode: COMPRESSION_ERROR.</summary>
    public long CompressionErrors;

    /// <summary>Field blocks refused (pseudo-headers, connection-specific fields, case, content-length).</summary>
    public long MalformedHeaders;

    public long ContinuationFloods;
    public long PingFloods;
    public long SettingsFloods;
    public long EmptyFrameFloods;
    public long PriorityFloods;
    public long WindowUpdateFloods;

    /// <summary>The control queue overflowed on frames other than PING or SETTINGS acks.</summary>
    public long ControlQueueOverflows;

    public long ZeroWindowIncrements;

    /// <summary>WINDOW_UPDATE or SETTINGS_INITIAL_WINDOW_SIZE pushing a window past 2^31-1.</summary>
    public long WindowOverflows;

    /// <summary>DATA beyond the window we gave.</summary>
    public long FlowControlViolations;

    /// <summary>Connection errors of any kind (a GOAWAY with a code other than NO_ERROR).</summary>
    public long ConnectionErrors;

    /// <summary>Stream errors of any kind (an RST_STREAM we sent for the peer's fault).</summary>
    public long StreamErrors;

    public long SettingsTimeouts;
}
