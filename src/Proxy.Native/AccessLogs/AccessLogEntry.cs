using System.Net;
using MeshEdge.Native.Http;

namespace MeshEdge.Native.AccessLogs;

/// <summary>One finished request as the access log sees it; filled by the HTTP session on its worker.</summary>
internal readonly ref struct AccessLogEntry
{
    public required RequestHead Head { get; init; }

    public required DateTime StartUtc { get; init; }

    public required int Status { get; init; }

    /// <summary>Envoy-style flags: NR no route, UF upstream connect failure, UC upstream reset, UT timeout, UO overflow, DC downstream closed; empty for none.</summary>
    public required ReadOnlySpan<byte> Flags { get; init; }

    public required long BytesReceived { get; init; }

    public required long BytesSent { get; init; }

    public required long DurationMs { get; init; }

    public required IPEndPoint? UpstreamHost { get; init; }

    public required ReadOnlySpan<byte> ClientAddress { get; init; }

    /// <summary>The downstream TLS peer, for the %DOWNSTREAM_PEER_*% and %DOWNSTREAM_TLS_*% fields; null on a plaintext connection.</summary>
    public Tls.TlsPeerIdentity? Peer { get; init; }
}
