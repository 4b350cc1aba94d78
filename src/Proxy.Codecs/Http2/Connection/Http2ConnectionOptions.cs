using MeshEdge.Codecs.Http2.Hpack;

namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>
/// What one connection accepts and advertises; every defence's default is here, named after the
/// attack it answers. Envoy's defaults where Envoy has one.
/// </summary>
internal sealed record Http2ConnectionOptions
{
    public static readonly Http2ConnectionOptions Default = new();

    /// <summary>
    /// SETTINGS_MAX_CONCURRENT_STREAMS we advertise (server role: a stream past it is refused with
    /// REFUSED_STREAM), and in the client role the most streams we open whatever the peer allows.
    /// </summary>
    public int MaxConcurrentStreams { get; init; } = 100;

    /// <summary>SETTINGS_INITIAL_WINDOW_SIZE we advertise: what one stream may have in flight to a reader that does not release.</summary>
    public int InitialStreamWindowSize { get; init; } = Http2Constants.DefaultWindowSize;

    /// <summary>The connection's receive window, raised from 65,535 by a WINDOW_UPDATE right after SETTINGS.</summary>
    public int ConnectionWindowSize { get; init; } = 1 << 20;

    /// <summary>
    /// How long the peer has to acknowledge our SETTINGS before GOAWAY SETTINGS_TIMEOUT (RFC 9113
    /// §6.5.3; 0: no limit). 10 s, as nghttpx's settings timeout: a peer that never acks holds a
    /// connection whose limits it may not have applied.
    /// </summary>
    public int SettingsTimeoutMs { get; init; } = 10_000;

    /// <summary>SETTINGS_MAX_FRAME_SIZE we advertise.</summary>
    public int MaxFrameSize { get; init; } = Http2Constants.DefaultMaxFrameSize;

    /// <summary>
    /// The received header list (SETTINGS_MAX_HEADER_LIST_SIZE, advertised), field count and HPACK
    /// table size (SETTINGS_HEADER_TABLE_SIZE): the HPACK bomb and table defences.
    /// </summary>
    public HpackDecoderLimits HeaderLimits { get; init; } = HpackDecoderLimits.Default;

    /// <summary>A field block joined over CONTINUATIONs may grow to this many bytes before GOAWAY ENHANCE_YOUR_CALM.</summary>
    public int MaxFieldBlockSize { get; init; } = 65_536;

    /// <summary>CONTINUATION frames one field block may take (the CVE-2024-27316 family with tiny frames).</summary>
    public int MaxContinuationFrames { get; init; } = 64;

    /// <summary>
    /// Rapid reset (CVE-2023-44487) and MadeYouReset (CVE-2025-8671), as Envoy counts them: once this
    /// many streams have closed, a connection where at least half of them ended in a premature reset
    /// (the peer's RST_STREAM before our response began, or our RST_STREAM for the peer's stream-level
    /// error) gets GOAWAY ENHANCE_YOUR_CALM. Envoy's premature_reset_total_stream_count.
    /// </summary>
    public int PrematureResetMinStreams { get; init; } = 500;

    /// <summary>
    /// A hard budget beside the ratio: this many premature resets end the connection whatever the
    /// ratio, so a peer cannot hide resets among cheap complete streams forever.
    /// </summary>
    public int MaxPrematureResets { get; init; } = 1_000;

    /// <summary>Frames we queued (SETTINGS and PING acks, RST_STREAM, WINDOW_UPDATE) and the session has not flushed: PING/SETTINGS floods (CVE-2019-9512, -9515). Envoy's max_outbound_control_frames.</summary>
    public int MaxQueuedControlFrames { get; init; } = 1_000;

    /// <summary>Consecutive frames that carry nothing (CVE-2019-9518). Envoy's max_consecutive_inbound_frames_with_empty_payload.</summary>
    public int MaxConsecutiveEmptyFrames { get; init; } = 1;

    /// <summary>PRIORITY frames per stream opened (CVE-2019-9513). Envoy's max_inbound_priority_frames_per_stream.</summary>
    public int MaxPriorityFramesPerStream { get; init; } = 100;

    /// <summary>WINDOW_UPDATE frames per DATA frame we sent (CVE-2019-9517's cousin). Envoy's max_inbound_window_update_frames_per_data_frame_sent.</summary>
    public int MaxWindowUpdatesPerDataFrameSent { get; init; } = 10;

    /// <summary>Streams recently closed whose manner of closing is remembered (STREAM_CLOSED vs ignored frames after our reset).</summary>
    public int ClosedStreamMemory { get; init; } = 32;

    /// <summary>An outgoing field block may take this many bytes encoded.</summary>
    public int MaxSendFieldBlockSize { get; init; } = 65_536;
}
