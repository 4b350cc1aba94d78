using System.Buffers.Binary;

namespace MeshEdge.Codecs.Http2;

/// <summary>The 9-byte header every frame starts with (RFC 9113 §4.1).</summary>
internal readonly record struct Http2FrameHeader(int Length, Http2FrameType Type, byte Flags, uint StreamId)
{
    /// <summary>Header and payload together: what the frame takes of the input.</summary>
    public int FrameLength => Http2Constants.FrameHeaderLength + Length;

    public bool HasFlag(byte flag) => (Flags & flag) != 0;

    /// <summary>Reads the first nine bytes of <paramref name="input"/>; the reserved bit of the stream id is dropped, as §4.1 requires.</summary>
    public static Http2FrameHeader Read(ReadOnlySpan<byte> input) => new(
        input[0] << 16 | input[1] << 8 | input[2],
        (Http2FrameType)input[3],
        input[4],
        BinaryPrimitives.ReadUInt32BigEndian(input[5..]) & Http2Constants.StreamIdMask);

    /// <summary>Writes the header (the reserved bit clear) and returns its length.</summary>
    public static int Write(Span<byte> destination, int length, Http2FrameType type, byte flags, uint streamId)
    {
        destination = destination[..Http2Constants.FrameHeaderLength];
        destination[0] = (byte)(length >> 16);
        destination[1] = (byte)(length >> 8);
        destination[2] = (byte)length;
        destination[3] = (byte)type;
        destination[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], streamId & Http2Constants.StreamIdMask);
        return Http2Constants.FrameHeaderLength;
    }
}
