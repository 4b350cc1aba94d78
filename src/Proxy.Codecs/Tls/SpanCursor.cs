using System.Buffers.Binary;

namespace MeshEdge.Codecs.Tls;

/// <summary>Reads TLS's big-endian integers and length-prefixed vectors off the front of a span; every read checks the bytes left.</summary>
internal ref struct SpanCursor(ReadOnlySpan<byte> bytes)
{
    private ReadOnlySpan<byte> _rest = bytes;

    public readonly bool IsEmpty => _rest.IsEmpty;

    public bool TryByte(out byte value)
    {
        value = 0;
        if (_rest.IsEmpty)
        {
            return false;
        }

        value = _rest[0];
        _rest = _rest[1..];
        return true;
    }

    public bool TryUInt16(out ushort value)
    {
        value = 0;
        if (_rest.Length < 2)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_rest);
        _rest = _rest[2..];
        return true;
    }

    public bool TrySkip(int count)
    {
        if (_rest.Length < count)
        {
            return false;
        }

        _rest = _rest[count..];
        return true;
    }

    /// <summary>A vector with a one-byte length (opaque x&lt;0..2^8-1&gt;).</summary>
    public bool TryVector8(out ReadOnlySpan<byte> vector)
    {
        vector = default;
        return TryByte(out var length) && TryTake(length, out vector);
    }

    /// <summary>A vector with a two-byte length (opaque x&lt;0..2^16-1&gt;).</summary>
    public bool TryVector16(out ReadOnlySpan<byte> vector)
    {
        vector = default;
        return TryUInt16(out var length) && TryTake(length, out vector);
    }

    private bool TryTake(int length, out ReadOnlySpan<byte> taken)
    {
        taken = default;
        if (_rest.Length < length)
        {
            return false;
        }

        taken = _rest[..length];
        _rest = _rest[length..];
        return true;
    }
}
