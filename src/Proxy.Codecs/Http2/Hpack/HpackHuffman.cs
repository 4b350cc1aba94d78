namespace MeshEdge.Codecs.Http2.Hpack;

/// <summary>
/// Huffman coding of HPACK string literals (RFC 7541 §5.2). Decoding walks the bits with the
/// canonical code's per-length ranges (first code, count, where its symbols start), built once from
/// <see cref="HpackHuffmanTable"/>: no tree, no allocation per string.
/// </summary>
internal static class HpackHuffman
{
    private static readonly uint[] FirstCode = new uint[HpackHuffmanTable.LongestCode + 1];
    private static readonly int[] Count = new int[HpackHuffmanTable.LongestCode + 1];
    private static readonly int[] FirstSymbolAt = new int[HpackHuffmanTable.LongestCode + 1];
    private static readonly ushort[] SymbolsByCode = new ushort[HpackHuffmanTable.EndOfString + 1];

    static HpackHuffman()
    {
        var lengths = HpackHuffmanTable.Lengths;
        var codes = HpackHuffmanTable.Codes;
        var at = 0;
        for (var length = 1; length <= HpackHuffmanTable.LongestCode; length++)
        {
            FirstSymbolAt[length] = at;
            for (var symbol = 0; symbol < lengths.Length; symbol++)
            {
                if (lengths[symbol] != length)
                {
                    continue;
                }

                if (Count[length] == 0)
                {
                    FirstCode[length] = codes[symbol];
                }

                Count[length]++;
                SymbolsByCode[at++] = (ushort)symbol;
            }
        }
    }

    /// <summary>Decodes into <paramref name="destination"/>; <paramref name="written"/> is the decoded length.</summary>
    public static HpackError Decode(ReadOnlySpan<byte> source, Span<byte> destination, out int written) =>
        Walk(source, destination, write: true, out written);

    /// <summary>Checks the string as <see cref="Decode"/> would and says how long it decodes to, writing nothing.</summary>
    public static HpackError Measure(ReadOnlySpan<byte> source, out int decodedLength) =>
        Walk(source, default, write: false, out decodedLength);

    public static int GetEncodedLength(ReadOnlySpan<byte> source)
    {
        var lengths = HpackHuffmanTable.Lengths;
        long bits = 0;
        foreach (var b in source)
        {
            bits += lengths[b];
        }

        return (int)((bits + 7) >> 3);
    }

    /// <summary>Encodes into <paramref name="destination"/>, which holds <see cref="GetEncodedLength"/> bytes; pads with EOS's leading ones.</summary>
    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var codes = HpackHuffmanTable.Codes;
        var lengths = HpackHuffmanTable.Lengths;
        ulong pending = 0;
        var bits = 0;
        var written = 0;
        foreach (var b in source)
        {
            pending = (pending << lengths[b]) | codes[b];
            bits += lengths[b];
            while (bits >= 8)
            {
                bits -= 8;
                destination[written++] = (byte)(pending >> bits);
            }
        }

        if (bits > 0)
        {
            destination[written++] = (byte)((pending << (8 - bits)) | (0xFFu >> bits));
        }

        return written;
    }

    private static HpackError Walk(ReadOnlySpan<byte> source, Span<byte> destination, bool write, out int written)
    {
        written = 0;
        uint code = 0;
        var length = 0;
        foreach (var b in source)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                code = (code << 1) | (uint)((b >> bit) & 1);
                length++;
                var offset = code - FirstCode[length];
                if (offset >= (uint)Count[length])
                {
                    continue;
                }

                var symbol = SymbolsByCode[FirstSymbolAt[length] + (int)offset];
                if (symbol == HpackHuffmanTable.EndOfString)
                {
                    // §5.2: a string that contains EOS is a decoding error.
                    return HpackError.HuffmanEndOfString;
                }

                if (write)
                {
                    if (written == destination.Length)
                    {
                        return HpackError.StringTooLong;
                    }

                    destination[written] = (byte)symbol;
                }

                written++;
                code = 0;
                length = 0;
            }
        }

        // §5.2: padding longer than 7 bits, or not the most significant bits of EOS (all ones), is an error.
        return length > 7 || code != (1u << length) - 1 ? HpackError.HuffmanPadding : HpackError.None;
    }
}
