namespace MeshEdge.Codecs.Http2;

/// <summary>
/// The deprecated priority fields of HEADERS and PRIORITY (RFC 9113 §5.3.2, §6.3): parsed so that a
/// self-dependency is refused and the bytes are skipped correctly, then ignored, as §5.3.2 allows.
/// </summary>
internal readonly record struct Http2Priority(uint StreamDependency, bool Exclusive, byte Weight)
{
    public static Http2Priority Read(ReadOnlySpan<byte> fields)
    {
        var word = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(fields);
        return new(word & Http2Constants.StreamIdMask, (word & 0x8000_0000) != 0, fields[4]);
    }

    public int Write(Span<byte> destination)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(destination, (StreamDependency & Http2Constants.StreamIdMask) | (Exclusive ? 0x8000_0000 : 0));
        destination[4] = Weight;
        return Http2Constants.PriorityPayloadLength;
    }
}
