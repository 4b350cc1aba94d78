using System.Buffers.Binary;

namespace MeshEdge.Packaging.Tests.Harness;

/// <summary>One whole Bolt v1 frame read by <see cref="BoltFrames.ReadAsync"/>, with its fixed header's fields.</summary>
internal sealed record BoltFrame(byte[] Bytes)
{
    public byte Type => Bytes[1];

    public ushort Command => BinaryPrimitives.ReadUInt16BigEndian(Bytes.AsSpan(2));

    public uint Id => BinaryPrimitives.ReadUInt32BigEndian(Bytes.AsSpan(5));

    /// <summary>A response's status (0 is success); meaningless for a request.</summary>
    public ushort Status => BinaryPrimitives.ReadUInt16BigEndian(Bytes.AsSpan(10));
}
