namespace MeshEdge.Codecs.Rpc;

/// <summary>
/// What <see cref="IRpcCodec.ReadFrame"/> found: a status, the frame length (known length even when
/// more bytes are needed, so that a session can size its reads), and the reason for a rejection.
/// </summary>
/// <remarks>
/// The three parts are packed in one 64-bit value, so that a result is returned in a register. As
/// three fields it went back through the stack as a byte, an int and a byte and was read back as two
/// wider loads, which the CPU cannot forward from the narrower stores: a stall on every frame.
/// </remarks>
internal readonly struct RpcReadResult
{
    private const int StatusShift = 32;
    private const int ReasonShift = 40;

    private readonly ulong _packed;

    private RpcReadResult(RpcReadStatus status, int frameLength, RpcMalformedReason reason) =>
        _packed = (uint)frameLength | ((ulong)status << StatusShift) | ((ulong)reason << ReasonShift);

    public RpcReadStatus Status => (RpcReadStatus)(byte)(_packed >> StatusShift);

    /// <summary>Complete: the frame's length. NeedMoreData: the whole frame's length once its header has been seen, else 0.</summary>
    public int FrameLength => (int)(uint)_packed;

    /// <summary>Why the frame is malformed; <see cref="RpcMalformedReason.None"/> otherwise.</summary>
    public RpcMalformedReason Reason => (RpcMalformedReason)(byte)(_packed >> ReasonShift);

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
