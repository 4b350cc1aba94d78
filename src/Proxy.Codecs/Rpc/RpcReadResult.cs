namespace MeshEdge.Codecs.Rpc;

/// <summary>
/// What <see cref="IRpcCodec.ReadFrame"/> found: a status, the frame length (known length even when
/// more bytes are needed, so that a session can size its reads), and the reason for a rejection.
/// </summary>
internal readonly struct RpcReadResult
{
    private RpcReadResult(RpcReadStatus status, int frameLength, RpcMalformedReason reason)
    {
        Status = status;
        FrameLength = frameLength;
        Reason = reason;
    }

    public RpcReadStatus Status { get; }

    /// <summary>Complete: the frame's length. NeedMoreData: the whole frame's length once its header has been seen, else 0.</summary>
    public int FrameLength { get; }

    /// <summary>Why the frame is malformed; <see cref="RpcMalformedReason.None"/> otherwise.</summary>
    public RpcMalformedReason Reason { get; }

    public static RpcReadResult Complete(int frameLength) => new(RpcReadStatus.Complete, frameLength, RpcMalformedReason.None);

    public static RpcReadResult NeedMoreData(int knownFrameLength = 0) => new(RpcReadStatus.NeedMoreData, knownFrameLength, RpcMalformedReason.None);

    public static RpcReadResult Malformed(RpcMalformedReason reason) => new(RpcReadStatus.Malformed, 0, reason);

    public override string ToString() => Status switch
    {
        RpcReadStatus.Complete => $"Complete({FrameLength})",
        RpcReadStatus.NeedMoreData => $"NeedMoreData({FrameLength})",
        _ => $"Malformed({Reason})",
    };
}
