using System.Buffers;
using System.Buffers.Binary;
using MeshEdge.Codecs.Checksums;

namespace MeshEdge.Codecs.Bolt;

/// <summary>
/// Writes whole Bolt frames in one piece of the output (so the CRC, when the switch code asks for
/// one, is computed over contiguous bytes). Field order is sofa-bolt-node's protocol/v1.js and v2.js.
/// </summary>
internal static class BoltFrameWriter
{
    public static int WriteRequest(
        IBufferWriter<byte> output,
        BoltCodecState state,
        BoltCommandType type,
        BoltCommandCode commandCode,
        uint requestId,
        byte codec,
        int timeoutMilliseconds,
        ReadOnlySpan<byte> className,
        ReadOnlySpan<byte> headerMap,
        ReadOnlySpan<byte> content) =>
        Write(output, state, type, commandCode, requestId, codec, timeoutMilliseconds, className, headerMap, content);

    public static int WriteResponse(
        IBufferWriter<byte> output,
        BoltCodecState state,
        BoltCommandCode commandCode,
        uint requestId,
        byte codec,
        BoltResponseStatus status,
        ReadOnlySpan<byte> className,
        ReadOnlySpan<byte> headerMap,
        ReadOnlySpan<byte> content) =>
        Write(output, state, BoltCommandType.Response, commandCode, requestId, codec, (int)status, className, headerMap, content);

    private static int Write(
        IBufferWriter<byte> output,
        BoltCodecState state,
        BoltCommandType type,
        BoltCommandCode commandCode,
        uint requestId,
        byte codec,
        int timeoutOrStatus,
        ReadOnlySpan<byte> className,
        ReadOnlySpan<byte> headerMap,
        ReadOnlySpan<byte> content)
    {
        var version = state.Version;
        var isResponse = type == BoltCommandType.Response;
        var fixedLength = BoltLayout.FixedHeaderLength(version, isResponse);
        var crcLength = state.HasCrc ? BoltConstants.CrcLength : 0;
        var total = fixedLength + className.Length + headerMap.Length + content.Length + crcLength;
        var span = output.GetSpan(total)[..total];

        span[0] = (byte)version;
        if (version == BoltVersion.V2)
        {
            span[BoltLayout.V2ProtocolVersionOffset] = state.ProtocolVersion;
            span[BoltLayout.V2SwitchCodeOffset] = state.SwitchCode;
        }

        span[BoltLayout.TypeOffset(version)] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(span[BoltLayout.CommandCodeOffset(version)..], (ushort)commandCode);
        span[BoltLayout.CommandVersionOffset(version)] = state.CommandVersion;
        BinaryPrimitives.WriteUInt32BigEndian(span[BoltLayout.RequestIdOffset(version)..], requestId);
        span[BoltLayout.CodecOffset(version)] = codec;
        var timeoutOrStatusAt = span[BoltLayout.TimeoutOrStatusOffset(version)..];
        if (isResponse)
        {
            BinaryPrimitives.WriteUInt16BigEndian(timeoutOrStatusAt, (ushort)timeoutOrStatus);
        }
        else
        {
            BinaryPrimitives.WriteInt32BigEndian(timeoutOrStatusAt, timeoutOrStatus);
        }

        var lengths = span[BoltLayout.LengthsOffset(version, isResponse)..];
        BinaryPrimitives.WriteUInt16BigEndian(lengths, (ushort)className.Length);
        BinaryPrimitives.WriteUInt16BigEndian(lengths[2..], (ushort)headerMap.Length);
        BinaryPrimitives.WriteUInt32BigEndian(lengths[4..], (uint)content.Length);

        var at = fixedLength;
        className.CopyTo(span[at..]);
        at += className.Length;
        headerMap.CopyTo(span[at..]);
        at += headerMap.Length;
        content.CopyTo(span[at..]);
        at += content.Length;
        if (crcLength != 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[at..], Crc32Ieee.Compute(span[..at]));
        }

        output.Advance(total);
        return total;
    }
}
