using MeshEdge.Config.Binding;

namespace MeshEdge.Config.Model;

/// <summary>
/// A cluster's <c>http2</c> table, for <c>protocol = "h2"</c>: what one upstream HTTP/2 connection
/// carries and advertises. Envoy's http2_protocol_options, with MeshEdge's defaults.
/// </summary>
/// <param name="MaxConcurrentStreams">Streams opened on one connection at most, whatever the server allows; another connection opens past it.</param>
/// <param name="InitialStreamWindowSize">SETTINGS_INITIAL_WINDOW_SIZE advertised: what one response may have in flight to a client that does not read.</param>
/// <param name="InitialConnectionWindowSize">The connection's receive window: all of its responses' bytes in flight.</param>
/// <param name="KeepaliveInterval">How often an idle-looking connection is PINGed; zero sends none.</param>
/// <param name="KeepaliveTimeout">How long a PING may go unanswered (by any frame) before the connection is closed as dead.</param>
public sealed record Http2ProtocolConfig(
    int MaxConcurrentStreams,
    int InitialStreamWindowSize,
    int InitialConnectionWindowSize,
    TimeSpan KeepaliveInterval,
    TimeSpan KeepaliveTimeout)
{
    public static readonly Http2ProtocolConfig Default = new(100, 256 * 1024, 1024 * 1024, TimeSpan.Zero, TimeSpan.FromSeconds(20));

    /// <summary>
    /// How long the server has to acknowledge our SETTINGS before the connection ends with GOAWAY
    /// SETTINGS_TIMEOUT (RFC 9113 §6.5.3); zero: no limit. 10 s, as nghttpx's settings timeout.
    /// </summary>
    public TimeSpan SettingsTimeout { get; init; } = ConfigDefaults.Http2SettingsTimeout;
}
