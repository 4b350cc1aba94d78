namespace MeshEdge.Codecs.Http2.Hpack;

/// <summary>Integers with an N-bit prefix (RFC 7541 §5.1), limited to 0..2^31-1.</summary>
internal static class HpackInteger
{
    /// <summary>Enough for 2^31-1 after any prefix: the prefix byte and five continuation bytes.</summary>
    public const int MaxLength = 6;

    /// <summary>
    /// Reads the integer whose prefix is the low <paramref name="prefixBits"/> of <c>source[position]</c>
    /// and moves <paramref name="position"/> past it.
    /// </summary>
    public static HpackError TryDecode(ReadOnlySpan<byte> source, ref int position, int prefixBits, out int value)
    {
        value = 0;
        if (position >= source.Length)
        {
            return HpackError.Truncated;
        }

        var max = (1 << prefixBits) - 1;
        long result = source[position++] & max;
        if (result < max)
        {
            value = (int)result;
            return HpackError.None;
        }

        for (var shift = 0; ; shift += 7)
        {
            if (position >= source.Length)
            {
                return HpackError.Truncated;
            }

            // Five continuation bytes carry 35 bits, more than enough; a sixth could only be zero padding.
            if (shift > 28)
            {
                return HpackError.IntegerOverflow;
            }

            var b = source[position++];
            result += (long)(b & 0x7F) << shift;
            if (result > int.MaxValue)
            {
                return HpackError.IntegerOverflow;
            }

            if ((b & 0x80) == 0)
            {
                value = (int)result;
                return HpackError.None;
            }
        }
    }

    public static int GetLength(int value, int prefixBits)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            return 1;
        }

        var length = 2;
        for (value -= max; value >= 0x80; value >>= 7)
        {
            length++;
        }

        return length;
    }

    /// <summary>Writes <paramref name="value"/> with <paramref name="flags"/> in the bits above the prefix; returns the bytes written.</summary>
    public static int Encode(Span<byte> destination, int value, int prefixBits, byte flags)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            destination[0] = (byte)(flags | value);
            return 1;
        }

        destination[0] = (byte)(flags | max);
        var written = 1;
        for (value -= max; value >= 0x80; value >>= 7)
        {
            destination[written++] = (byte)(value | 0x80);
        }

        destination[written++] = (byte)value;
        return written;
    }
}
