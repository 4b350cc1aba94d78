using System.Buffers;
using System.Buffers.Binary;
using MeshEdge.Codecs.Checksums;
using MeshEdge.Codecs.Rpc;

namespace MeshEdge.Codecs.Bolt;

/// <summary>
/// Finds and validates one Bolt v1 or v2 frame at the start of a possibly segmented input. Only the
/// fixed header is copied (at most 24 bytes, and only when it straddles segments); the header map is
/// checked in place and the CRC computed segment by segment.
/// </summary>
internal static class BoltFrameReader
{
    public static RpcReadResult Read(in ReadOnlySequence<byte> input, int maxFrameSize, out RpcFrameInfo frame)
    {
        frame = default;
        var available = (int)Math.Min(input.Length, BoltConstants.MaxFixedHeaderLength);
        if (available == 0)
        {
            return RpcReadResult.NeedMoreData();
        }

        Span<byte> copy = stackalloc byte[BoltConstants.MaxFixedHeaderLength];
        scoped ReadOnlySpan<byte> head;
        if (input.FirstSpan.Length >= available)
        {
            head = input.FirstSpan[..available];
        }
        else
        {
            input.Slice(0, available).CopyTo(copy);
            head = copy[..available];
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

        var isResponse = type == BoltCommandType.Response;
        var fixedLength = BoltLayout.FixedHeaderLength(version, isResponse);
        if (head.Length < fixedLength)
        {
            return RpcReadResult.NeedMoreData();
        }

        var commandCode = (BoltCommandCode)BinaryPrimitives.ReadUInt16BigEndian(head[BoltLayout.CommandCodeOffset(version)..]);
        if (!TryClassify(type, commandCode, out var kind))
        {
            return RpcReadResult.Malformed(RpcMalformedReason.UnknownFrameType);
        }

        var switchCode = version == BoltVersion.V2 ? head[BoltLayout.V2SwitchCodeOffset] : (byte)0;
        var state = new BoltCodecState(
            version,
            version == BoltVersion.V2 ? head[BoltLayout.V2ProtocolVersionOffset] : (byte)0,
            switchCode,
            head[BoltLayout.CommandVersionOffset(version)]);

        var lengthsOffset = BoltLayout.LengthsOffset(version, isResponse);
        int classLength = BinaryPrimitives.ReadUInt16BigEndian(head[lengthsOffset..]);
        int headerLength = BinaryPrimitives.ReadUInt16BigEndian(head[(lengthsOffset + 2)..]);
        long contentLength = BinaryPrimitives.ReadUInt32BigEndian(head[(lengthsOffset + 4)..]);
        var crcLength = state.HasCrc ? BoltConstants.CrcLength : 0;
        var total = fixedLength + classLength + headerLength + contentLength + crcLength;
        if (total > maxFrameSize)
        {
            return RpcReadResult.Malformed(RpcMalformedReason.FrameTooLarge);
        }

        var frameLength = (int)total;
        if (input.Length < frameLength)
        {
            return RpcReadResult.NeedMoreData(frameLength);
        }

        var headerOffset = fixedLength + classLength;
        if (headerLength > 0 && !BoltHeaderMap.IsWellFormed(input.Slice(headerOffset, headerLength)))
        {
            return RpcReadResult.Malformed(RpcMalformedReason.HeaderOverrun);
        }

        if (crcLength != 0 && !IsChecksumValid(input.Slice(0, frameLength)))
        {
            return RpcReadResult.Malformed(RpcMalformedReason.ChecksumMismatch);
        }

        var timeoutOrStatusOffset = BoltLayout.TimeoutOrStatusOffset(version);
        var timeout = isResponse ? 0 : BinaryPrimitives.ReadInt32BigEndian(head[timeoutOrStatusOffset..]);
        frame = new RpcFrameInfo
        {
            Length = frameLength,
            Kind = kind,
            RequestId = BinaryPrimitives.ReadUInt32BigEndian(head[BoltLayout.RequestIdOffset(version)..]),
            Status = isResponse ? BinaryPrimitives.ReadUInt16BigEndian(head[timeoutOrStatusOffset..]) : (ushort)0,
            TimeoutMilliseconds = Math.Max(timeout, 0),
            Serialization = head[BoltLayout.CodecOffset(version)],
            HeaderOffset = headerOffset,
            HeaderLength = headerLength,
            ContentOffset = headerOffset + headerLength,
            ContentLength = (int)contentLength,
            CodecState = state.Pack(),
        };
        return RpcReadResult.Complete(frameLength);
    }

    /// <summary>
    /// Type and command code together say what the frame is. Combinations no SOFA peer sends (a oneway
    /// heartbeat, a request type with the response code) are rejected rather than guessed at.
    /// </summary>
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
    private static bool IsChecksumValid(in ReadOnlySequence<byte> frame)
    {
        var bodyLength = frame.Length - BoltConstants.CrcLength;
        Span<byte> trailer = stackalloc byte[BoltConstants.CrcLength];
        frame.Slice(bodyLength).CopyTo(trailer);
        return Crc32Ieee.Compute(frame.Slice(0, bodyLength)) == BinaryPrimitives.ReadUInt32BigEndian(trailer);
    }
}
