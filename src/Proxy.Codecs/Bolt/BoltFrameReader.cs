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
/// <remarks>
/// The span path is one function per frame, the fixed header's fields inlined into it with constant
/// offsets, and the frame description written once: as three calls (fixed header, rest, verdict) that
/// zeroed the description on the way in and out it cost some 200 instructions a frame, most of them
/// prologues, zeroing and the calls' arguments. What comes after the fixed header (a header map to
/// walk, a CRC) is looked at out of line, and only when the frame has one to check.
/// </remarks>
internal static class BoltFrameReader
{
    /// <summary>What a (type, command code) pair is, at type * 3 + code; <see cref="NoKind"/> for pairs no SOFA peer sends (a oneway heartbeat, a request type with the response code).</summary>
    private static ReadOnlySpan<byte> KindOfTypeAndCode =>
    [
        (byte)RpcFrameKind.HeartbeatResponse, NoKind, (byte)RpcFrameKind.Response,    // response type: heartbeat, request, response code
        (byte)RpcFrameKind.HeartbeatRequest, (byte)RpcFrameKind.Request, NoKind,       // request type
        NoKind, (byte)RpcFrameKind.Oneway, NoKind,                                      // oneway type
    ];

    private const byte NoKind = 0xFF;

    /// <remarks>
    /// Inlined into the sessions' read loops: the whole frame's verdict is reached inside the copy of
    /// the field reads for its version and direction, where whether anything after the fixed header
    /// needs a look is mostly a constant (a request whose header map is left to the router, a v1
    /// frame with no CRC), so a frame that needs none returns straight from there. As a call with a
    /// common tail it cost some 45 instructions a frame more (saved registers, the tail's re-reading
    /// of the description).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RpcReadResult Read(ReadOnlySpan<byte> input, int maxFrameSize, RpcFrameCheck check, out RpcFrameInfo frame) =>
        ReadFixedHeader(input, maxFrameSize, wholeFrame: true, check, out frame);

    public static RpcReadResult Read(in ReadOnlySequence<byte> input, int maxFrameSize, RpcFrameCheck check, out RpcFrameInfo frame)
    {
        if (input.FirstSpan.Length >= input.Length)
        {
            return Read(input.FirstSpan, maxFrameSize, check, out frame);
        }

        var available = (int)Math.Min(input.Length, BoltConstants.MaxFixedHeaderLength);
        Span<byte> head = stackalloc byte[BoltConstants.MaxFixedHeaderLength];
        input.Slice(0, available).CopyTo(head);
        var header = ReadSplitFixedHeader(head[..available], maxFrameSize, out frame);
        if (header.Status != RpcReadStatus.Complete)
        {
            return header;
        }

        if (input.Length < frame.Length)
        {
            frame = default;
            return RpcReadResult.NeedMoreData(header.FrameLength);
        }

        return HasRestToCheck(frame, check) ? Verdict(header, CheckRest(input.Slice(0, frame.Length), frame, check), ref frame) : header;
    }

    /// <summary>The span's whole frame has a header map or CRC to check: its verdict (out of line, so the reads of frames that need none stay small).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RpcReadResult CheckWholeFrame(ReadOnlySpan<byte> input, RpcFrameCheck check, ref RpcFrameInfo frame) =>
        Verdict(RpcReadResult.Complete(frame.Length), CheckRest(input[..frame.Length], frame, check), ref frame);

    /// <summary>Whether the bytes after the fixed header need a look: a header map (a request's is left to the router when the caller says so), or a CRC.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HasRestToCheck(in RpcFrameInfo frame, RpcFrameCheck check) =>
        ChecksHeaders(frame, check) || BoltCodecState.From(frame).HasCrc;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ChecksHeaders(in RpcFrameInfo frame, RpcFrameCheck check) =>
        frame.HeaderLength > 0 && (check == RpcFrameCheck.Whole || frame.Kind is not (RpcFrameKind.Request or RpcFrameKind.Oneway));

    /// <summary>The whole frame is here and its fixed header sound: the frame, or why its rest is not.</summary>
    private static RpcReadResult Verdict(RpcReadResult header, RpcMalformedReason reason, ref RpcFrameInfo frame)
    {
        if (reason == RpcMalformedReason.None)
        {
            return header;
        }

        frame = default;
        return RpcReadResult.Malformed(reason);
    }

    /// <summary>What the bytes after the fixed header say about a whole frame: its header map's structure and its CRC.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RpcMalformedReason CheckRest(ReadOnlySpan<byte> bytes, in RpcFrameInfo frame, RpcFrameCheck check) =>
        ChecksHeaders(frame, check) && !BoltHeaderMap.IsWellFormed(bytes.Slice(frame.HeaderOffset, frame.HeaderLength)) ? RpcMalformedReason.HeaderOverrun
        : BoltCodecState.From(frame).HasCrc && !IsChecksumValid(bytes) ? RpcMalformedReason.ChecksumMismatch
        : RpcMalformedReason.None;

    private static RpcMalformedReason CheckRest(in ReadOnlySequence<byte> bytes, in RpcFrameInfo frame, RpcFrameCheck check) =>
        ChecksHeaders(frame, check) && !BoltHeaderMap.IsWellFormed(bytes.Slice(frame.HeaderOffset, frame.HeaderLength)) ? RpcMalformedReason.HeaderOverrun
        : BoltCodecState.From(frame).HasCrc && !IsChecksumValid(bytes) ? RpcMalformedReason.ChecksumMismatch
        : RpcMalformedReason.None;

    /// <summary>The fixed header of a frame split across segments, copied out: the same reading, out of line (it is rare).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RpcReadResult ReadSplitFixedHeader(ReadOnlySpan<byte> head, int maxFrameSize, out RpcFrameInfo frame) =>
        ReadFixedHeader(head, maxFrameSize, wholeFrame: false, RpcFrameCheck.Whole, out frame);

    /// <summary>
    /// Reads the fixed header at the start of <paramref name="head"/> (which may go on past it): on
    /// <see cref="RpcReadStatus.Complete"/> the frame's whole length and layout are known. With
    /// <paramref name="wholeFrame"/> (a constant at each call site) <paramref name="head"/> is all the
    /// input there is: the frame must lie in it whole, and its rest is checked as <paramref name="check"/>
    /// says; without, the bytes after the fixed header are not yet checked or even present. Field
    /// offsets come from <see cref="BoltLayout"/>, the one place that knows how v2 shifts v1's fields.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static RpcReadResult ReadFixedHeader(ReadOnlySpan<byte> head, int maxFrameSize, bool wholeFrame, RpcFrameCheck check, out RpcFrameInfo frame)
    {
        if (head.IsEmpty)
        {
            frame = default;
            return RpcReadResult.NeedMoreData();
        }

        var version = (BoltVersion)head[0];
        if (version is not (BoltVersion.V1 or BoltVersion.V2))
        {
            frame = default;
            return RpcReadResult.Malformed(RpcMalformedReason.UnknownProtocol);
        }

        var typeOffset = BoltLayout.TypeOffset(version);
        if (head.Length <= typeOffset)
        {
            frame = default;
            return RpcReadResult.NeedMoreData();
        }

        var type = head[typeOffset];
        if (type > (byte)BoltCommandType.Oneway)
        {
            frame = default;
            return RpcReadResult.Malformed(RpcMalformedReason.UnknownFrameType);
        }

        // One copy of the field reads per version and direction, each with constant offsets: after
        // its one length check the compiler drops the bounds check of every field (about half of
        // this method's instructions per frame when the offsets were variables).
        var isResponse = type == (byte)BoltCommandType.Response;
        return version == BoltVersion.V1
            ? isResponse
                ? ReadFields(head, BoltVersion.V1, isResponse: true, type, maxFrameSize, wholeFrame, check, out frame)
                : ReadFields(head, BoltVersion.V1, isResponse: false, type, maxFrameSize, wholeFrame, check, out frame)
            : isResponse
                ? ReadFields(head, BoltVersion.V2, isResponse: true, type, maxFrameSize, wholeFrame, check, out frame)
                : ReadFields(head, BoltVersion.V2, isResponse: false, type, maxFrameSize, wholeFrame, check, out frame);
    }

    /// <summary>
    /// The fields of a fixed header whose version and direction are known (constants at every call
    /// site). The description is written once, by its constructor, and only for a sound header.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static RpcReadResult ReadFields(ReadOnlySpan<byte> head, BoltVersion version, bool isResponse, byte type, int maxFrameSize, bool wholeFrame, RpcFrameCheck check, out RpcFrameInfo frame)
    {
        var fixedLength = BoltLayout.FixedHeaderLength(version, isResponse);
        if (head.Length < fixedLength)
        {
            frame = default;
            return RpcReadResult.NeedMoreData();
        }

        uint commandCode = ReadUInt16(head, BoltLayout.CommandCodeOffset(version));
        var kinds = KindOfTypeAndCode;
        var kind = commandCode <= (uint)BoltCommandCode.Response ? kinds[(type * 3) + (int)commandCode] : NoKind;
        if (kind == NoKind)
        {
            frame = default;
            return RpcReadResult.Malformed(RpcMalformedReason.UnknownFrameType);
        }

        // The codec state packed as BoltCodecState.Pack lays it out, straight from the bytes.
        var switchCode = version == BoltVersion.V2 ? head[BoltLayout.V2SwitchCodeOffset] : 0u;
        var codecState = (uint)version
            | (version == BoltVersion.V2 ? (uint)head[BoltLayout.V2ProtocolVersionOffset] << 8 : 0u)
            | (switchCode << 16)
            | ((uint)head[BoltLayout.CommandVersionOffset(version)] << 24);
        var lengths = BoltLayout.LengthsOffset(version, isResponse);
        int classLength = ReadUInt16(head, lengths);
        int headerLength = ReadUInt16(head, lengths + 2);
        long contentLength = ReadUInt32(head, lengths + 4);
        var crcLength = (switchCode & BoltConstants.CrcSwitchBit) != 0 ? BoltConstants.CrcLength : 0;
        var total = fixedLength + classLength + headerLength + contentLength + crcLength;
        if (total > maxFrameSize)
        {
            frame = default;
            return RpcReadResult.Malformed(RpcMalformedReason.FrameTooLarge);
        }

        if (wholeFrame && head.Length < total)
        {
            frame = default;
            return RpcReadResult.NeedMoreData((int)total);
        }

        var headerOffset = fixedLength + classLength;
        var timeoutOrStatus = BoltLayout.TimeoutOrStatusOffset(version);
        frame = new RpcFrameInfo(
            length: (int)total,
            kind: (RpcFrameKind)kind,
            requestId: ReadUInt32(head, BoltLayout.RequestIdOffset(version)),
            status: isResponse ? ReadUInt16(head, timeoutOrStatus) : (ushort)0,
            timeoutMilliseconds: isResponse ? 0 : Math.Max((int)ReadUInt32(head, timeoutOrStatus), 0),
            serialization: head[BoltLayout.CodecOffset(version)],
            headerOffset: headerOffset,
            headerLength: headerLength,
            contentOffset: headerOffset + headerLength,
            contentLength: (int)contentLength,
            codecState: codecState);
        // What HasRestToCheck asks of the description, from the values at hand: a response's or a
        // heartbeat's header map, any map when the caller wants it whole, a v2 CRC.
        if (wholeFrame
            && ((headerLength > 0 && (isResponse || check == RpcFrameCheck.Whole || kind == (byte)RpcFrameKind.HeartbeatRequest)) || crcLength != 0))
        {
            return CheckWholeFrame(head, check, ref frame);
        }

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
