using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MeshEdge.Codecs.Checksums;
using MeshEdge.Codecs.Rpc;

namespace MeshEdge.Codecs.Bolt;

/// <summary>
/// SOFARPC Bolt v1 and v2 as an <see cref="IRpcCodec"/>. One codec reads both versions (the first
/// byte says which) and answers each frame in its own version, ver1, switch code and serialization;
/// <see cref="ProbeVersion"/> only chooses the version of heartbeat probes the proxy originates.
/// </summary>
internal readonly struct BoltCodec : IRpcCodec
{
    private readonly int _maxFrameSize;
    private readonly BoltVersion _probeVersion;

    public BoltCodec()
        : this(BoltConstants.DefaultMaxFrameSize)
    {
    }

    public BoltCodec(int maxFrameSize, BoltVersion probeVersion = BoltVersion.V1)
    {
        _maxFrameSize = maxFrameSize;
        _probeVersion = probeVersion;
    }

    public string Name => "bolt";

    /// <summary>The configured maximum; a default-constructed codec uses <see cref="BoltConstants.DefaultMaxFrameSize"/>.</summary>
    public int MaxFrameSize => _maxFrameSize > 0 ? _maxFrameSize : BoltConstants.DefaultMaxFrameSize;

    public ulong MaxRequestId => uint.MaxValue;

    /// <summary>The version of heartbeat probes; v1 unless configured (also for a default-constructed codec).</summary>
    public BoltVersion ProbeVersion => _probeVersion == BoltVersion.V2 ? BoltVersion.V2 : BoltVersion.V1;

    public RpcDetection Detect(ReadOnlySpan<byte> prefix) => BoltDetector.Detect(prefix);

    public RpcReadResult ReadFrame(in ReadOnlySequence<byte> input, out RpcFrameInfo frame, RpcFrameCheck check = RpcFrameCheck.Whole) =>
        BoltFrameReader.Read(input, MaxFrameSize, check, out frame);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RpcReadResult ReadFrame(ReadOnlySpan<byte> input, out RpcFrameInfo frame, RpcFrameCheck check = RpcFrameCheck.Whole) =>
        BoltFrameReader.Read(input, MaxFrameSize, check, out frame);

    /// <summary>
    /// The id is one unaligned store of the byte-swapped value at the version's offset; inlined into
    /// the sessions (every request and response goes through here), with the CRC refresh, which only
    /// checksummed v2 frames need, out of line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TrySetRequestId(Span<byte> frame, in RpcFrameInfo info, ulong requestId)
    {
        var state = BoltCodecState.From(info);
        var offset = BoltLayout.RequestIdOffset(state.Version);
        if (requestId > uint.MaxValue || frame.Length < info.Length || frame.Length < offset + sizeof(uint))
        {
            return false;
        }

        Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetReference(frame), offset), BinaryPrimitives.ReverseEndianness((uint)requestId));
        if (state.HasCrc)
        {
            RefreshCrc(frame[..info.Length]);
        }

        return true;
    }

    /// <summary>The CRC covers the id, so a checksummed frame gets it computed again.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RefreshCrc(Span<byte> frame)
    {
        var bodyLength = frame.Length - BoltConstants.CrcLength;
        BinaryPrimitives.WriteUInt32BigEndian(frame[bodyLength..], Crc32Ieee.Compute(frame[..bodyLength]));
    }

    public bool TrySetRequestId(in ReadOnlySequence<byte> frame, in RpcFrameInfo info, ulong requestId)
    {
        if (requestId > uint.MaxValue || frame.Length < info.Length)
        {
            return false;
        }

        if (frame.FirstSpan.Length >= info.Length)
        {
            return TrySetRequestId(MemoryMarshal.AsMemory(frame.First).Span, info, requestId);
        }

        var state = BoltCodecState.From(info);
        Span<byte> id = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(id, (uint)requestId);
        if (!RpcFrameBytes.TryOverwrite(frame, BoltLayout.RequestIdOffset(state.Version), id))
        {
            return false;
        }

        if (!state.HasCrc)
        {
            return true;
        }

        // The CRC covers the id, so it is refreshed; this reads the whole frame once more, the price
        // of forwarding a checksummed frame without copying it.
        var bodyLength = info.Length - BoltConstants.CrcLength;
        Span<byte> crc = stackalloc byte[BoltConstants.CrcLength];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32Ieee.Compute(frame.Slice(0, bodyLength)));
        return RpcFrameBytes.TryOverwrite(frame, bodyLength, crc);
    }

    public bool TryGetHeader(ReadOnlySpan<byte> headerBlock, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) =>
        BoltHeaderMap.TryGet(headerBlock, name, out value);

    public bool VisitHeaders<TVisitor>(ReadOnlySpan<byte> headerBlock, ref TVisitor visitor)
        where TVisitor : IRpcHeaderVisitor, allows ref struct =>
        BoltHeaderMap.Visit(headerBlock, ref visitor);

    /// <summary>
    /// SOFA clients always send <c>service</c> (the service signature, e.g. <c>com.foo.Bar:1.0</c>);
    /// protobuf ones also send <c>sofa_head_target_service</c>, used when the first is absent. Only
    /// protobuf-codec requests carry the method in a header; hessian2 ones hide it in the content.
    /// </summary>
    public RpcRouteNames ReadRouteNames(ReadOnlySpan<byte> headerBlock, out ReadOnlySpan<byte> service, out ReadOnlySpan<byte> method) =>
        BoltHeaderMap.ReadRouteNames(headerBlock, out service, out method);

    public bool TryGetMethodNameFromContent(scoped in RpcFrameInfo request, ReadOnlySpan<byte> contentPrefix, out ReadOnlySpan<byte> method)
    {
        method = default;
        return request.Serialization == BoltConstants.Hessian2Codec && BoltHessianMethodReader.TryRead(contentPrefix, out method);
    }

    public bool IsSuccess(in RpcFrameInfo response) => response.Status == (ushort)BoltResponseStatus.Success;

    /// <summary>A heartbeat ack: response type, heartbeat command code, SUCCESS, no class, header or content.</summary>
    public int WriteHeartbeatReply(in RpcFrameInfo heartbeat, IBufferWriter<byte> output)
    {
        if (heartbeat.Kind != RpcFrameKind.HeartbeatRequest)
        {
            return 0;
        }

        return BoltFrameWriter.WriteResponse(
            output, BoltCodecState.From(heartbeat), BoltCommandCode.Heartbeat, (uint)heartbeat.RequestId,
            heartbeat.Serialization, BoltResponseStatus.Success, default, default, default);
    }

    /// <summary>A heartbeat as SOFA clients send it: request type, hessian2, timeout 3000 ms, no CRC.</summary>
    public int WriteHeartbeatRequest(ulong requestId, IBufferWriter<byte> output)
    {
        if (requestId > uint.MaxValue)
        {
            return 0;
        }

        var state = new BoltCodecState(
            ProbeVersion,
            ProbeVersion == BoltVersion.V2 ? BoltConstants.DefaultV2ProtocolVersion : (byte)0,
            switchCode: 0,
            BoltConstants.CommandVersion);
        return BoltFrameWriter.WriteRequest(
            output, state, BoltCommandType.Request, BoltCommandCode.Heartbeat, (uint)requestId,
            BoltConstants.Hessian2Codec, BoltConstants.HeartbeatTimeoutMilliseconds, default, default, default);
    }

    public int WriteErrorResponse(in RpcFrameInfo request, RpcErrorKind error, IBufferWriter<byte> output) =>
        BoltErrorResponse.Write(request, ToStatus(error), output);

    public ushort ErrorStatus(RpcErrorKind error) => (ushort)ToStatus(error);

    public static BoltResponseStatus ToStatus(RpcErrorKind error) => error switch
    {
        RpcErrorKind.NoRoute => BoltResponseStatus.NoProcessor,
        RpcErrorKind.Timeout => BoltResponseStatus.Timeout,
        RpcErrorKind.ConnectionClosed => BoltResponseStatus.ConnectionClosed,
        RpcErrorKind.Overloaded => BoltResponseStatus.ServerThreadpoolBusy,
        _ => BoltResponseStatus.CodecException,
    };
}
