using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MeshEdge.Codecs.Checksums;
using MeshEdge.Codecs.Rpc;

namespace MeshEdge.Codecs.Bolt;

/// <summary>
/// Finds and validates one Bolt v1 or v2 frame at the start of the input. Two entry points share
/// the fixed-header step: a span (the frame lies in one block, the common case, read with no
/// sequence bookkeeping at all) and a sequence (a frame split across blocks, where only the fixed
/// header is copied, at most 24 bytes, the header map is checked in place and the CRC computed
/// segment by segment).
/// </summary>
internal static class BoltFrameReader
{
    public static RpcReadResult Read(ReadOnlySpan<byte> input, int maxFrameSize, out RpcFrameInfo frame)
    {
        var header = ReadFixedHeader(input[..Math.Min(input.Length, BoltConstants.MaxFixedHeaderLength)], maxFrameSize, out frame);
        var whole = header.Status == RpcReadStatus.Complete && input.Length >= frame.Length;
        return Conclude(header, input.Length, whole ? Check(input[..frame.Length], frame) : RpcMalformedReason.None, ref frame);
    }

    public static RpcReadResult Read(in ReadOnlySequence<byte> input, int maxFrameSize, out RpcFrameInfo frame)
    {
        if (input.FirstSpan.Length >= input.Length)
        {
            return Read(input.FirstSpan, maxFrameSize, out frame);
        }

        var available = (int)Math.Min(input.Length, BoltConstants.MaxFixedHeaderLength);
        Span<byte> head = stackalloc byte[BoltConstants.MaxFixedHeaderLength];
        input.Slice(0, available).CopyTo(head);
        var header = ReadFixedHeader(head[..available], maxFrameSize, out frame);
        var whole = header.Status == RpcReadStatus.Complete && input.Length >= frame.Length;
        return Conclude(header, input.Length, whole ? Check(input.Slice(0, frame.Length), frame) : RpcMalformedReason.None, ref frame);
    }

    /// <summary>What the bytes after the fixed header say about a whole frame: its header map's structure and its CRC.</summary>
    private static RpcMalformedReason Check(ReadOnlySpan<byte> bytes, in RpcFrameInfo frame) =>
        frame.HeaderLength > 0 && !BoltHeaderMap.IsWellFormed(bytes.Slice(frame.HeaderOffset, frame.HeaderLength)) ? RpcMalformedReason.HeaderOverrun
        : BoltCodecState.From(frame).HasCrc && !IsChecksumValid(bytes) ? RpcMalformedReason.ChecksumMismatch
        : RpcMalformedReason.None;

    private static RpcMalformedReason Check(in ReadOnlySequence<byte> bytes, in RpcFrameInfo frame) =>
        frame.HeaderLength > 0 && !BoltHeaderMap.IsWellFormed(bytes.Slice(frame.HeaderOffset, frame.HeaderLength)) ? RpcMalformedReason.HeaderOverrun
        : BoltCodecState.From(frame).HasCrc && !IsChecksumValid(bytes) ? RpcMalformedReason.ChecksumMismatch
        : RpcMalformedReason.None;

    /// <summary>The fixed header's verdict, then whether all of the frame is here, then whether its rest is sound.</summary>
    private static RpcReadResult Conclude(RpcReadResult header, long available, RpcMalformedReason reason, ref RpcFrameInfo frame)
    {
        if (header.Status != RpcReadStatus.Complete)
        {
            return header;
        }

        if (available < frame.Length || reason != RpcMalformedReason.None)
        {
            var result = available < frame.Length ? RpcReadResult.NeedMoreData(header.FrameLength) : RpcReadResult.Malformed(reason);
            frame = default;
            return result;
        }

        return header;
    }

    /// <summary>
    /// Reads the fixed header from <paramref name="head"/> (the input's first bytes, at most
    /// <see cref="BoltConstants.MaxFixedHeaderLength"/>): on <see cref="RpcReadStatus.Complete"/> the
    /// frame's whole length and layout are known, but the bytes after the fixed header are not yet
    /// checked or even present. Field offsets come from <see cref="BoltLayout"/>, the one place that
    /// knows how v2 shifts v1's fields.
    /// </summary>
    private static RpcReadResult ReadFixedHeader(ReadOnlySpan<byte> head, int maxFrameSize, out RpcFrameInfo frame)
    {
        frame = default;
        if (head.IsEmpty)
        {
            return RpcReadResult.NeedMoreData();
        }

        var version = (BoltVersion)head[0];
        if (version is not (BoltVersion.V1 or BoltVersion.V2))
        {
            return RpcReadResult.Malformed(RpcMalformedReason.UnknownProtocol);
        }

        var typeOffset = BoltLayout.TypeOffset(version);
        if (head.Length <= typeOffset)
        {
            return RpcReadResult.NeedMoreData();
        }

        var type = (BoltCommandType)head[typeOffset];
        if (type is not (BoltCommandType.Response or BoltCommandType.Request or BoltCommandType.Oneway))
        {
            return RpcReadResult.Malformed(RpcMalformedReason.UnknownFrameType);
        }

        // One copy of the field reads per version and direction, each with constant offsets: after
        // its one length check the compiler drops the bounds check of every field (about half of
        // this method's instructions per frame when the offsets were variables).
        var isResponse = type == BoltCommandType.Response;
        return version == BoltVersion.V1
            ? isResponse
                ? ReadFields(head, BoltVersion.V1, isResponse: true, type, maxFrameSize, out frame)
                : ReadFields(head, BoltVersion.V1, isResponse: false, type, maxFrameSize, out frame)
            : isResponse
                ? ReadFields(head, BoltVersion.V2, isResponse: true, type, maxFrameSize, out frame)
                : ReadFields(head, BoltVersion.V2, isResponse: false, type, maxFrameSize, out frame);
    }

    /// <summary>The fields of a fixed header whose version and direction are known (constants at every call site).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static RpcReadResult ReadFields(ReadOnlySpan<byte> head, BoltVersion version, bool isResponse, BoltCommandType type, int maxFrameSize, out RpcFrameInfo frame)
    {
        frame = default;
        var fixedLength = BoltLayout.FixedHeaderLength(version, isResponse);
        if (head.Length < fixedLength)
        {
            return RpcReadResult.NeedMoreData();
        }

        var commandCode = (BoltCommandCode)ReadUInt16(head, BoltLayout.CommandCodeOffset(version));
        if (!TryClassify(type, commandCode, out var kind))
        {
            return RpcReadResult.Malformed(RpcMalformedReason.UnknownFrameType);
        }

        var state = new BoltCodecState(
            version,
            version == BoltVersion.V2 ? head[BoltLayout.V2ProtocolVersionOffset] : (byte)0,
            version == BoltVersion.V2 ? head[BoltLayout.V2SwitchCodeOffset] : (byte)0,
            head[BoltLayout.CommandVersionOffset(version)]);
        var lengths = BoltLayout.LengthsOffset(version, isResponse);
        int classLength = ReadUInt16(head, lengths);
        int headerLength = ReadUInt16(head, lengths + 2);
        long contentLength = ReadUInt32(head, lengths + 4);
        var total = fixedLength + classLength + headerLength + contentLength + (state.HasCrc ? BoltConstants.CrcLength : 0);
        if (total > maxFrameSize)
        {
            return RpcReadResult.Malformed(RpcMalformedReason.FrameTooLarge);
        }

        var headerOffset = fixedLength + classLength;
        var timeoutOrStatus = BoltLayout.TimeoutOrStatusOffset(version);
        frame = new RpcFrameInfo(
            length: (int)total,
            kind: kind,
            requestId: ReadUInt32(head, BoltLayout.RequestIdOffset(version)),
            status: isResponse ? ReadUInt16(head, timeoutOrStatus) : (ushort)0,
            timeoutMilliseconds: isResponse ? 0 : Math.Max((int)ReadUInt32(head, timeoutOrStatus), 0),
            serialization: head[BoltLayout.CodecOffset(version)],
            headerOffset: headerOffset,
            headerLength: headerLength,
            contentOffset: headerOffset + headerLength,
            contentLength: (int)contentLength,
            codecState: state.Pack());
        return RpcReadResult.Complete((int)total);
    }

    /// <summary>
    /// Big-endian u16 at a constant offset that the caller's length check covers: one unaligned load
    /// and a byte swap, with no bounds check of its own. Byte by byte it took five instructions for a
    /// u16 and ten for a u32, some 40 of a frame's 140.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort ReadUInt16(ReadOnlySpan<byte> head, int offset)
    {
        Debug.Assert(offset + sizeof(ushort) <= head.Length);
        return BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref MemoryMarshal.GetReference(head), offset)));
    }

    /// <summary>Big-endian u32, as <see cref="ReadUInt16"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadUInt32(ReadOnlySpan<byte> head, int offset)
    {
        Debug.Assert(offset + sizeof(uint) <= head.Length);
        return BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref MemoryMarshal.GetReference(head), offset)));
    }

    /// <summary>
    /// Type and command code together say what the frame is. Combinations no SOFA peer sends (a oneway
    /// heartbeat, a request type with the response code) are rejected rather than guessed at.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryClassify(BoltCommandType type, BoltCommandCode code, out RpcFrameKind kind)
    {
        switch (type, code)
        {
            case (BoltCommandType.Request, BoltCommandCode.Request):
                kind = RpcFrameKind.Request;
                return true;
            case (BoltCommandType.Oneway, BoltCommandCode.Request):
                kind = RpcFrameKind.Oneway;
                return true;
            case (BoltCommandType.Response, BoltCommandCode.Response):
                kind = RpcFrameKind.Response;
                return true;
            case (BoltCommandType.Request, BoltCommandCode.Heartbeat):
                kind = RpcFrameKind.HeartbeatRequest;
                return true;
            case (BoltCommandType.Response, BoltCommandCode.Heartbeat):
                kind = RpcFrameKind.HeartbeatResponse;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    /// <summary>The last four bytes are the big-endian CRC32 of everything before them.</summary>
    private static bool IsChecksumValid(ReadOnlySpan<byte> frame)
    {
        var bodyLength = frame.Length - BoltConstants.CrcLength;
        return Crc32Ieee.Compute(frame[..bodyLength]) == BinaryPrimitives.ReadUInt32BigEndian(frame[bodyLength..]);
    }

    private static bool IsChecksumValid(in ReadOnlySequence<byte> frame)
    {
        var bodyLength = frame.Length - BoltConstants.CrcLength;
        Span<byte> trailer = stackalloc byte[BoltConstants.CrcLength];
        frame.Slice(bodyLength).CopyTo(trailer);
        return Crc32Ieee.Compute(frame.Slice(0, bodyLength)) == BinaryPrimitives.ReadUInt32BigEndian(trailer);
    }
}
