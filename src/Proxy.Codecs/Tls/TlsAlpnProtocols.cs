namespace MeshEdge.Codecs.Tls;

/// <summary>
/// The protocol names of a ClientHello's ALPN extension (RFC 7301 ProtocolNameList: each a one-byte
/// length then the name), in the client's order of preference, enumerated in place.
/// </summary>
internal readonly ref struct TlsAlpnProtocols(ReadOnlySpan<byte> list)
{
    /// <summary>The list as sent, without its two-byte length: what a proxy forwards or logs untouched.</summary>
    public ReadOnlySpan<byte> Wire { get; } = list;

    public bool IsEmpty => Wire.IsEmpty;

    public int Count
    {
        get
        {
            var count = 0;
            foreach (var _ in this)
            {
                count++;
            }

            return count;
        }
    }

    /// <summary>The offer as flags (h2, http/1.1, others), for a chooser that must not keep the list.</summary>
    public TlsAlpnOffer Offer
    {
        get
        {
            var offer = TlsAlpnOffer.None;
            foreach (var name in this)
            {
                offer |= name.SequenceEqual("h2"u8) ? TlsAlpnOffer.H2
                    : name.SequenceEqual("http/1.1"u8) ? TlsAlpnOffer.Http11
                    : TlsAlpnOffer.Other;
            }

            return offer;
        }
    }

    public bool Contains(ReadOnlySpan<byte> protocol)
    {
        foreach (var name in this)
        {
            if (name.SequenceEqual(protocol))
            {
                return true;
            }
        }

        return false;
    }

    public Enumerator GetEnumerator() => new(Wire);

    /// <summary>Walks the names; stops at the end or at a length that overruns (the reader has already refused such lists).</summary>
    public ref struct Enumerator(ReadOnlySpan<byte> list)
    {
        private SpanCursor _rest = new(list);
        private ReadOnlySpan<byte> _current;

        public readonly ReadOnlySpan<byte> Current => _current;

        public bool MoveNext() => _rest.TryVector8(out _current) && !_current.IsEmpty;
    }
}
