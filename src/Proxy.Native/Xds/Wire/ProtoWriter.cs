using System.Buffers;
using System.Text;

namespace MeshEdge.Native.Xds.Wire;

/// <summary>
/// Protobuf's wire format, written by hand for the few messages the client sends (discovery requests,
/// the node, a status): tags, varints, length-delimited strings and nested messages. Generated code
/// for Envoy's whole API would cost megabytes of binary for five small messages.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void String(int field, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Bytes(field, Encoding.UTF8.GetBytes(value));
        }
    }

    public void Strings(int field, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            Bytes(field, Encoding.UTF8.GetBytes(value));
        }
    }

    public void Int32(int field, int value)
    {
        if (value != 0)
        {
            Tag(field, 0);
            Varint((ulong)(long)value);
        }
    }

    public void Double(int field, double value)
    {
        Tag(field, 1);
        BitConverter.TryWriteBytes(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void Bool(int field, bool value)
    {
        Tag(field, 0);
        Varint(value ? 1UL : 0UL);
    }

    /// <summary>A nested message, written by <paramref name="write"/> (always present, even when empty).</summary>
    public void Message(int field, Action<ProtoWriter> write)
    {
        var inner = new ProtoWriter();
        write(inner);
        Bytes(field, inner._buffer.WrittenSpan);
    }

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        Varint((ulong)value.Length);
        _buffer.Write(value);
    }

    private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    private void Varint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        _buffer.Advance(i);
    }
}
