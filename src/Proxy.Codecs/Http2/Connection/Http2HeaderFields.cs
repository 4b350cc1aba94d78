namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>
/// A validated field block as views over a pooled block, valid during <see cref="IHttp2ConnectionHandler.OnHeaders"/>
/// only. Fields come in wire order, pseudo-headers first (RFC 9113 §8.3 puts them there); the
/// pseudo-headers are also at hand by name, so a route match reads :authority and :path directly.
/// </summary>
internal readonly ref struct Http2HeaderFields
{
    private readonly ReadOnlySpan<byte> _block;
    private readonly ReadOnlySpan<Http2FieldRef> _fields;
    private readonly Http2PseudoHeaders _pseudo;

    public Http2HeaderFields(ReadOnlySpan<byte> block, ReadOnlySpan<Http2FieldRef> fields, Http2PseudoHeaders pseudo)
    {
        _block = block;
        _fields = fields;
        _pseudo = pseudo;
    }

    /// <summary>All fields, pseudo-headers included.</summary>
    public int Count => _fields.Length;

    /// <summary>The index of the first regular field (the number of pseudo-headers).</summary>
    public int RegularStart => _pseudo.Count;

    public ReadOnlySpan<byte> Name(int index) => _block.Slice(_fields[index].NameStart, _fields[index].NameLength);

    public ReadOnlySpan<byte> Value(int index) => _block.Slice(_fields[index].ValueStart, _fields[index].ValueLength);

    /// <summary>Came never-indexed (RFC 7541 §6.2.3): re-encode it so.</summary>
    public bool IsNeverIndexed(int index) => _fields[index].NeverIndexed;

    public ReadOnlySpan<byte> Method => Pseudo(_pseudo.Method);

    public ReadOnlySpan<byte> Scheme => Pseudo(_pseudo.Scheme);

    public ReadOnlySpan<byte> Authority => Pseudo(_pseudo.Authority);

    public ReadOnlySpan<byte> Path => Pseudo(_pseudo.Path);

    /// <summary>:status of a response, 0 on requests and trailers.</summary>
    public int Status => _pseudo.Status;

    /// <summary>The content-length field, -1 when absent.</summary>
    public long ContentLength => _pseudo.ContentLength;

    /// <summary>The value of the first field named <paramref name="name"/> (lowercase), or false.</summary>
    public bool TryGet(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < _fields.Length; i++)
        {
            if (Name(i).SequenceEqual(name))
            {
                value = Value(i);
                return true;
            }
        }

        value = default;
        return false;
    }

    private ReadOnlySpan<byte> Pseudo(int index) => index < 0 ? default : Value(index);
}
