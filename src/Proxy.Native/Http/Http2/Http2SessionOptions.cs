using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Codecs.Http2.Hpack;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Http.Http2;

/// <summary>
/// The frame layer's options for a downstream connection of an HTTP listener: the codec's defences
/// as they are (100 concurrent streams, Envoy's flood budgets), the header list bounded by the
/// listener's max_request_headers_size, and a connection window as large as every stream's windows
/// together, so that streams held by slow upstreams never close the window the others need: what a
/// client may have in flight stays bounded by the stream windows alone.
/// </summary>
internal static class Http2SessionOptions
{
    /// <summary>The last options made, with the config they were made for: configs change rarely, so one entry is the whole cache.</summary>
    private static (HttpConfig Config, Http2ConnectionOptions Options)? _last;

    public static Http2ConnectionOptions For(HttpConfig config)
    {
        if (_last is { } last && ReferenceEquals(last.Config, config))
        {
            return last.Options;
        }

        var defaults = Http2ConnectionOptions.Default;
        var options = defaults with
        {
            ConnectionWindowSize = defaults.MaxConcurrentStreams * defaults.InitialStreamWindowSize,
            SettingsTimeoutMs = TimeoutMs(config.Http2SettingsTimeout),
            HeaderLimits = HpackDecoderLimits.Default with
            {
                MaxHeaderListSize = Math.Max(config.MaxRequestHeadersBytes, Http2Constants.DefaultMaxFrameSize),
            },
        };
        _last = (config, options);
        return options;
    }

    /// <summary>A config duration as the frame layer's milliseconds (0: no limit), a longer one capped rather than wrapped.</summary>
    public static int TimeoutMs(TimeSpan timeout) => (int)Math.Min(timeout.TotalMilliseconds, int.MaxValue);
}
