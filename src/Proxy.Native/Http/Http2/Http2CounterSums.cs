using MeshEdge.Codecs.Http2.Connection;

namespace MeshEdge.Native.Http.Http2;

/// <summary>
/// <see cref="Http2ConnectionCounters"/> summed per listener: each connection adds what changed since
/// it last reported (so /stats and /metrics see live counts, not only those of closed connections),
/// and the exporters read the fields by index under Envoy-like names.
/// </summary>
internal static class Http2CounterSums
{
    /// <summary>The counters' names in /stats (under "http2") and /metrics (meshedge_http2_NAME_total).</summary>
    public static readonly string[] Names =
    [
        "streams_opened",
        "streams_closed",
        "resets_sent",
        "resets_received",
        "go_aways_sent",
        "go_aways_received",
        "refused_streams",
        "premature_resets",
        "resets_provoked",
        "rapid_reset_trips",
        "header_list_too_large",
        "compression_errors",
        "malformed_headers",
        "continuation_floods",
        "ping_floods",
        "settings_floods",
        "empty_frame_floods",
        "priority_floods",
        "window_update_floods",
        "control_queue_overflows",
        "zero_window_increments",
        "window_overflows",
        "flow_control_violations",
        "connection_errors",
        "stream_errors",
        "settings_timeouts",
    ];

    public static void Add(ref Http2ConnectionCounters total, in Http2ConnectionCounters other)
    {
        total.StreamsOpened += other.StreamsOpened;
        total.StreamsClosed += other.StreamsClosed;
        total.ResetsSent += other.ResetsSent;
        total.ResetsReceived += other.ResetsReceived;
        total.GoAwaysSent += other.GoAwaysSent;
        total.GoAwaysReceived += other.GoAwaysReceived;
        total.RefusedStreams += other.RefusedStreams;
        total.PrematureResets += other.PrematureResets;
        total.ResetsProvoked += other.ResetsProvoked;
        total.RapidResetTrips += other.RapidResetTrips;
        total.HeaderListTooLarge += other.HeaderListTooLarge;
        total.CompressionErrors += other.CompressionErrors;
        total.MalformedHeaders += other.MalformedHeaders;
        total.ContinuationFloods += other.ContinuationFloods;
        total.PingFloods += other.PingFloods;
        total.SettingsFloods += other.SettingsFloods;
        total.EmptyFrameFloods += other.EmptyFrameFloods;
        total.PriorityFloods += other.PriorityFloods;
        total.WindowUpdateFloods += other.WindowUpdateFloods;
        total.ControlQueueOverflows += other.ControlQueueOverflows;
        total.ZeroWindowIncrements += other.ZeroWindowIncrements;
        total.WindowOverflows += other.WindowOverflows;
        total.FlowControlViolations += other.FlowControlViolations;
        total.ConnectionErrors += other.ConnectionErrors;
        total.StreamErrors += other.StreamErrors;
        total.SettingsTimeouts += other.SettingsTimeouts;
    }

    /// <summary>Adds to <paramref name="total"/> what <paramref name="current"/> gained since <paramref name="reported"/>, which then catches up.</summary>
    public static void AddDelta(ref Http2ConnectionCounters total, in Http2ConnectionCounters current, ref Http2ConnectionCounters reported)
    {
        var delta = current;
        Subtract(ref delta, reported);
        Add(ref total, delta);
        reported = current;
    }

    public static long Value(in Http2ConnectionCounters counters, int index) => index switch
    {
        0 => counters.StreamsOpened,
        1 => counters.StreamsClosed,
        2 => counters.ResetsSent,
        3 => counters.ResetsReceived,
        4 => counters.GoAwaysSent,
        5 => counters.GoAwaysReceived,
        6 => counters.RefusedStreams,
        7 => counters.PrematureResets,
        8 => counters.ResetsProvoked,
        9 => counters.RapidResetTrips,
        10 => counters.HeaderListTooLarge,
        11 => counters.CompressionErrors,
        12 => counters.MalformedHeaders,
        13 => counters.ContinuationFloods,
        14 => counters.PingFloods,
        15 => counters.SettingsFloods,
        16 => counters.EmptyFrameFloods,
        17 => counters.PriorityFloods,
        18 => counters.WindowUpdateFloods,
        19 => counters.ControlQueueOverflows,
        20 => counters.ZeroWindowIncrements,
        21 => counters.WindowOverflows,
        22 => counters.FlowControlViolations,
        23 => counters.ConnectionErrors,
        24 => counters.StreamErrors,
        25 => counters.SettingsTimeouts,
        _ => 0,
    };

    private static void Subtract(ref Http2ConnectionCounters total, in Http2ConnectionCounters other)
    {
        total.StreamsOpened -= other.StreamsOpened;
        total.StreamsClosed -= other.StreamsClosed;
        total.ResetsSent -= other.ResetsSent;
        total.ResetsReceived -= other.ResetsReceived;
        total.GoAwaysSent -= other.GoAwaysSent;
        total.GoAwaysReceived -= other.GoAwaysReceived;
        total.RefusedStreams -= other.RefusedStreams;
        total.PrematureResets -= other.PrematureResets;
        total.ResetsProvoked -= other.ResetsProvoked;
        total.RapidResetTrips -= other.RapidResetTrips;
        total.HeaderListTooLarge -= other.HeaderListTooLarge;
        total.CompressionErrors -= other.CompressionErrors;
        total.MalformedHeaders -= other.MalformedHeaders;
        total.ContinuationFloods -= other.ContinuationFloods;
        total.PingFloods -= other.PingFloods;
        total.SettingsFloods -= other.SettingsFloods;
        total.EmptyFrameFloods -= other.EmptyFrameFloods;
        total.PriorityFloods -= other.PriorityFloods;
        total.WindowUpdateFloods -= other.WindowUpdateFloods;
        total.ControlQueueOverflows -= other.ControlQueueOverflows;
        total.ZeroWindowIncrements -= other.ZeroWindowIncrements;
        total.WindowOverflows -= other.WindowOverflows;
        total.FlowControlViolations -= other.FlowControlViolations;
        total.ConnectionErrors -= other.ConnectionErrors;
        total.StreamErrors -= other.StreamErrors;
        total.SettingsTimeouts -= other.SettingsTimeouts;
    }
}
