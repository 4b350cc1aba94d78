using System.Runtime.CompilerServices;

namespace MeshEdge.Codecs.Rpc;

/// <summary>
/// What a codec learned about one whole frame at the start of the input: a value, not a view, so it
/// can be kept in a per-request slot after the input has moved on. Offsets are from the frame's first
/// byte; the bytes themselves stay in the input (or wherever the session moved them).
/// </summary>
internal readonly struct RpcFrameInfo
{
    /// <summary>
    /// Every field at once. A codec's reader assigns its out parameter with this constructor rather than an
    /// object initializer: the initializer built the value in a stack temporary, field by field, and
    /// copied it out in 16-byte loads that could not be forwarded from those narrower stores. Inlined:
    /// as a call (when the reader's copies per version outgrew the inliner's budget) it cost every
    /// frame a call and its arguments' spills.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RpcFrameInfo(
        int length,
        RpcFrameKind kind,
        ulong requestId,
        ushort status,
        int timeoutMilliseconds,
        byte serialization,
        int headerOffset,
        int headerLength,
        int contentOffset,
        int contentLength,
        uint codecState)
    {
        Length = length;
        Kind = kind;
        RequestId = requestId;
        Status = status;
        TimeoutMilliseconds = timeoutMilliseconds;
        Serialization = serialization;
        HeaderOffset = headerOffset;
        HeaderLength = headerLength;
        ContentOffset = contentOffset;
        ContentLength = contentLength;
        CodecState = codecState;
    }

    /// <summary>The whole frame's length on the wire, trailers (such as Bolt v2's CRC32) included.</summary>
    public int Length { get; init; }

    public RpcFrameKind Kind { get; init; }

    /// <summary>The id that pairs a response with its request (Bolt: u32; Dubbo: u64).</summary>
    public ulong RequestId { get; init; }

    /// <summary>A response's status in the protocol's own numbering (Bolt respStatus, Dubbo status byte); 0 for requests.</summary>
    public ushort Status { get; init; }

    /// <summary>The timeout the request carries, in milliseconds; 0 when the protocol or the frame carries none.</summary>
    public int TimeoutMilliseconds { get; init; }

    /// <summary>The protocol's serialization id (Bolt codec: 1 hessian2, 11 protobuf; Dubbo: the flag's low 5 bits).</summary>
    public byte Serialization { get; init; }

    /// <summary>Where the block that header lookups read starts (Bolt: the header map; Dubbo: the body).</summary>
    public int HeaderOffset { get; init; }

    public int HeaderLength { get; init; }

    /// <summary>Where the payload the proxy never reads starts (Bolt: content; Dubbo: the body).</summary>
    public int ContentOffset { get; init; }

    public int ContentLength { get; init; }

    /// <summary>
    /// Bits only the codec that produced this value reads back, to answer the frame in kind (Bolt: proto
    /// code, ver1 and switch code, so that a reply uses the request's version and CRC setting).
    /// </summary>
    public uint CodecState { get; init; }

    public bool IsHeartbeat => Kind is RpcFrameKind.HeartbeatRequest or RpcFrameKind.HeartbeatResponse;

    /// <summary>True when the peer waits for an answer with this frame's id.</summary>
    public bool ExpectsResponse => Kind is RpcFrameKind.Request or RpcFrameKind.HeartbeatRequest;

    public override string ToString() =>
        $"{Kind} id={RequestId} len={Length} status={Status} timeout={TimeoutMilliseconds}ms";
}
