using System.Net;

namespace MeshEdge.Config.Model;

/// <summary>A listening address and the session that serves what it accepts.</summary>
/// <param name="MaxConnections">Open downstream connections allowed at once; more are closed on accept.</param>
/// <param name="BufferLimitBytes">High watermark of a connection's output queue; reading from its peer
/// pauses above it and resumes below half of it.</param>
public sealed record ListenerConfig(
    string Name,
    IPEndPoint Address,
    ListenerProtocol Protocol,
    int MaxConnections,
    int BufferLimitBytes,
    TcpProxyConfig TcpProxy)
{
    /// <summary>The HTTP connection manager of a <see cref="ListenerProtocol.Http"/> listener; null otherwise.</summary>
    public HttpConfig? Http { get; init; }

    /// <summary>For <see cref="ListenerProtocol.Auto"/>: how long to wait for bytes enough to tell the protocol.</summary>
    public TimeSpan DetectionTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The RPC session's settings; set exactly when <see cref="Protocol"/> is an RPC protocol (bolt).</summary>
    public RpcProxyConfig? RpcProxy { get; init; }

    /// <summary>TLS terminated on this listener (HTTP listeners); null for plaintext.</summary>
    public TlsConfig? Tls { get; init; }
}
