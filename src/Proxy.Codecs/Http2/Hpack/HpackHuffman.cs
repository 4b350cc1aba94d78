namespace MeshEdge.Codecs.Http2.Hpack;

/// <summary>
/// Huffman coding of HPACK string literals (RFC 7541 §5.2). Decoding reads a 64-bit window of the
/// input: a code of up to 8 bits (most of what headers hold) is one lookup by the window's first
/// byte; a longer one is found with the canonical code's per-length ranges (first code, count, where
/// its symbols start). Both tables are built once from <see cref="HpackHuffmanTable"/>: no tree, no
/// allocation per string.
/// </summary>
internal static class HpackHuffman
{
    private static readonly uint[] FirstCode = new uint[HpackHuffmanTable.LongestCode + 1];
    private static readonly int[] Count = new int[HpackHuffmanTable.LongestCode + 1];
    private static readonly int[] FirstSymbolAt = new int[HpackHuffmanTable.LongestCode + 1];
    private static readonly ushort[] SymbolsByCode = new ushort[HpackHuffmanTable.EndOfString + 1];

    // By a window's first byte: (symbol << 4) | length for the code of 8 bits or fewer it starts with, else 0.
    private const int FastBits = 8;
    private static readonly ushort[] Fast = new ushort[1 << FastBits];

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

        for (var symbol = 0; symbol < lengths.Length; symbol++)
        {
            var length = lengths[symbol];
            if (length <= FastBits)
            {
                var first = (int)codes[symbol] << (FastBits - length);
                Fast.AsSpan(first, 1 << (FastBits - length)).Fill((ushort)((symbol << 4) | length));
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
        ulong window = 0; // the unread bits, left-aligned
        var bits = 0;
        var next = 0;
        while (true)
        {
            while (bits <= 56 && next < source.Length)
            {
                window |= (ulong)source[next++] << (56 - bits);
                bits += 8;
            }

            if (bits == 0)
            {
                return HpackError.None;
            }

            int symbol;
            int length;
            var fast = Fast[(int)(window >> (64 - FastBits))];
            if (fast != 0 && (fast & 0xF) <= bits)
            {
                symbol = fast >> 4;
                length = fast & 0xF;
            }
            else
            {
                // No code of 8 bits or fewer starts the window (or it would need bits past the input's end).
                symbol = -1;
                length = FastBits + 1;
                for (var limit = Math.Min(bits, HpackHuffmanTable.LongestCode); length <= limit; length++)
                {
                    var offset = (uint)(window >> (64 - length)) - FirstCode[length];
                    if (offset < (uint)Count[length])
                    {
                        symbol = SymbolsByCode[FirstSymbolAt[length] + (int)offset];
                        break;
                    }
                }

                if (symbol < 0)
                {
                    // §5.2: what is left is padding: at most 7 bits, the most significant bits of EOS (all ones).
                    return bits > 7 || (window >> (64 - bits)) != (1ul << bits) - 1 ? HpackError.HuffmanPadding : HpackError.None;
                }

                if (symbol == HpackHuffmanTable.EndOfString)
                {
                    // §5.2: a string that contains EOS is a decoding error.
                    return HpackError.HuffmanEndOfString;
                }
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
            window <<= length;
            bits -= length;
        }
    }
}
