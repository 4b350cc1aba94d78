using System.Net;

namespace MeshEdge.Native.AccessLogs;

/// <summary>One finished RPC request as the access log sees it; filled by the RPC session on its worker.</summary>
internal readonly ref struct RpcAccessLogEntry
{
    /// <summary>The codec's name ("bolt"), for %PROTOCOL%.</summary>
    public required ReadOnlySpan<byte> Protocol { get; init; }

    public required RpcLogFields Fields { get; init; }

    public required DateTime StartUtc { get; init; }

    /// <summary>The response status the client got, in the protocol's numbering; -1 when it got none (oneway, or it left).</summary>
    public required int Status { get; init; }

    /// <summary>Envoy-style flags (NR, UF, UC, UT, UO, DC); empty for none.</summary>
    public required ReadOnlySpan<byte> Flags { get; init; }

    /// <summary>The request frame's length.</summary>
    public required long BytesReceived { get; init; }

    /// <summary>The response frame's length; 0 when none was sent.</summary>
    public required long BytesSent { get; init; }

    public required long DurationMs { get; init; }

    public required IPEndPoint? UpstreamHost { get; init; }

    public required ReadOnlySpan<byte> ClientAddress { get; init; }
}
