using System.Buffers.Binary;
using System.Text;

namespace MeshEdge.Native.Xds.Wire;

/// <summary>
/// Reads protobuf's wire format field by field. Malformed input throws <see cref="InvalidDataException"/>:
/// this runs on the xDS client's loop, never on the data path, and a malformed resource is NACKed.
/// </summary>
internal struct ProtoReader(ReadOnlyMemory<byte> data)
{
    private readonly ReadOnlyMemory<byte> _data = data;
    private int _position;

    public readonly bool End => _position >= _data.Length;

    /// <summary>The next field's number and wire type (0 varint, 1 64-bit, 2 length-delimited, 5 32-bit).</summary>
    public (int Field, int WireType) Tag()
    {
        var tag = Varint();
        var field = (int)(tag >> 3);
        if (field <= 0)
        {
            throw new InvalidDataException("a field number of 0");
        }

        return (field, (int)(tag & 7));
    }

    public ulong Varint()
    {
        ulong value = 0;
        var span = _data.Span;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= span.Length)
            {
                throw new InvalidDataException("a varint cut short");
            }

            var b = span[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("a varint longer than 10 bytes");
    }

    public ulong Fixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8).Span);

    public uint Fixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4).Span);

    public ReadOnlyMemory<byte> LengthDelimited() => Take(checked((int)Varint()));

    public string String() => Encoding.UTF8.GetString(LengthDelimited().Span);

    /// <summary>Skips a field of <paramref name="wireType"/> (unknown fields are allowed, as protobuf requires).</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                Varint();
                break;
            case 1:
                Take(8);
                break;
            case 2:
                LengthDelimited();
                break;
            case 5:
                Take(4);
                break;
            default:
                throw new InvalidDataException($"wire type {wireType} is not supported");
        }
    }

    private ReadOnlyMemory<byte> Take(int length)
    {
        if (length < 0 || _position + length > _data.Length)
        {
            throw new InvalidDataException("a field longer than its message");
        }

        var slice = _data.Slice(_position, length);
        _position += length;
        return slice;
    }
}
