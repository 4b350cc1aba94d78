using System.Runtime.CompilerServices;

namespace MeshEdge.Codecs.Bolt;

/// <summary>
/// Reads <c>SofaRequest.methodName</c> from the start of a hessian2 request's content, where SOFARPC
/// keeps the method of hessian2 calls (only protobuf calls repeat it in a header). The content opens
/// with the SofaRequest class definition (its field names) and the instance's field values; this
/// finds the methodName field and skips the string or null values before it. Both encodings seen in
/// the wild are read: Hessian 2.0 ('C' definition, 'O' or 0x60-0x6f instance, as Java SOFARPC and
/// sofa-hessian-node v4 write) and the 2.0 draft ('O' definition, 'o' instance, sofa-hessian-node v3,
/// sofa-bolt-node's default). Anything else, or a prefix too short, is "not found", never an error:
/// the method is for stats and logs only. Allocates nothing.
/// </summary>
internal static class BoltHessianMethodReader
{
    private static ReadOnlySpan<byte> SofaRequestClass => "com.alipay.sofa.rpc.core.request.SofaRequest"u8;

    private static ReadOnlySpan<byte> MethodNameField => "methodName"u8;

    /// <summary>
    /// The first byte opens a class definition in either encoding or the payload is not a SofaRequest:
    /// told here, inlined, so that a payload of anything else (the proxy reads every hessian2 request's)
    /// costs a compare, not the reader's frame.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryRead(ReadOnlySpan<byte> content, out ReadOnlySpan<byte> method)
    {
        method = default;
        return !content.IsEmpty && content[0] is ((byte)'C' or (byte)'O') && TryReadDefinition(content, out method);
    }

    private static bool TryReadDefinition(ReadOnlySpan<byte> content, out ReadOnlySpan<byte> method)
    {
        method = default;
        var at = 0;
        if (!TryByte(content, ref at, out var tag))
        {
            return false;
        }

        bool draft;
        ReadOnlySpan<byte> className;
        if (tag == (byte)'C')
        {
            draft = false;
            if (!TryString(content, ref at, out className))
            {
                return false;
            }
        }
        else if (tag == (byte)'O')
        {
            // The draft's definition: a length (an int) and that many characters.
            draft = true;
            if (!TryInt(content, ref at, out var length) || !TryChars(content, ref at, length, out className))
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        if (!className.SequenceEqual(SofaRequestClass) || !TryInt(content, ref at, out var fieldCount) || fieldCount is < 1 or > 64)
        {
            return false;
        }

        var methodField = -1;
        for (var i = 0; i < fieldCount; i++)
        {
            if (!TryString(content, ref at, out var field))
            {
                return false;
            }

            if (methodField < 0 && field.SequenceEqual(MethodNameField))
            {
                methodField = i;
            }
        }

        if (methodField < 0 || !TryObjectStart(content, ref at, draft))
        {
            return false;
        }

        for (var i = 0; i < methodField; i++)
        {
            if (!TrySkipStringOrNull(content, ref at))
            {
                return false;
            }
        }

        return TryString(content, ref at, out method);
    }

    private static bool TryObjectStart(ReadOnlySpan<byte> content, scoped ref int at, bool draft)
    {
        if (!TryByte(content, ref at, out var tag))
        {
            return false;
        }

        if (!draft && tag is >= 0x60 and <= 0x6f)
        {
            return true;
        }

        return tag == (draft ? (byte)'o' : (byte)'O') && TryInt(content, ref at, out _);
    }

    private static bool TrySkipStringOrNull(ReadOnlySpan<byte> content, scoped ref int at)
    {
        if (at < content.Length && content[at] == (byte)'N')
        {
            at++;
            return true;
        }

        return TryString(content, ref at, out _);
    }

    /// <summary>A whole string: compact (0x00-0x1f), two-byte length (0x30-0x33) or one final 'S' chunk. Lengths count UTF-16 units.</summary>
    private static bool TryString(ReadOnlySpan<byte> content, scoped ref int at, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!TryByte(content, ref at, out var tag))
        {
            return false;
        }

        int length;
        switch (tag)
        {
            case <= 0x1f:
                length = tag;
                break;
            case >= 0x30 and <= 0x33:
                if (!TryByte(content, ref at, out var low))
                {
                    return false;
                }

                length = ((tag - 0x30) << 8) | low;
                break;
            case (byte)'S':
                if (!TryByte(content, ref at, out var high) || !TryByte(content, ref at, out var low2))
                {
                    return false;
                }

                length = (high << 8) | low2;
                break;
            default:
                return false;
        }

        return TryChars(content, ref at, length, out value);
    }

    /// <summary>The UTF-8 bytes of <paramref name="units"/> UTF-16 code units.</summary>
    /// <remarks>
    /// Class, field and method names are ASCII: when the next <paramref name="units"/> bytes are, they
    /// are the string (one unit a byte, valid UTF-8), told by one vectorised check. Walking them byte by
    /// byte and validating the UTF-8 after cost a SOFA request some 3,500 instructions (a SofaRequest's
    /// definition is ~150 characters), more than the rest of the proxy's work on the call.
    /// </remarks>
    private static bool TryChars(ReadOnlySpan<byte> content, scoped ref int at, int units, out ReadOnlySpan<byte> value)
    {
        if ((uint)units <= (uint)(content.Length - at) && System.Text.Ascii.IsValid(content.Slice(at, units)))
        {
            value = content.Slice(at, units);
            at += units;
            return true;
        }

        return TryNonAsciiChars(content, ref at, units, out value);
    }

    /// <summary>The same, unit by unit, for strings that are not all ASCII (or run past the prefix).</summary>
    private static bool TryNonAsciiChars(ReadOnlySpan<byte> content, scoped ref int at, int units, out ReadOnlySpan<byte> value)
    {
        value = default;
        var start = at;
        while (units > 0)
        {
            if (at >= content.Length)
            {
                return false;
            }

            var lead = content[at];
            var (bytes, count) = lead switch
            {
                < 0x80 => (1, 1),
                >= 0xf0 => (4, 2),
                >= 0xe0 => (3, 1),
                >= 0xc0 => (2, 1),
                _ => (0, 0),
            };
            if (bytes == 0 || at + bytes > content.Length)
            {
                return false;
            }

            at += bytes;
            units -= count;
        }

        value = content[start..at];
        return units == 0 && System.Text.Unicode.Utf8.IsValid(value);
    }

    /// <summary>Hessian ints: compact (0x80-0xbf), two and three bytes (0xc0-0xd7) or 'I' and four bytes.</summary>
    private static bool TryInt(ReadOnlySpan<byte> content, scoped ref int at, out int value)
    {
        value = 0;
        if (!TryByte(content, ref at, out var tag))
        {
            return false;
        }

        switch (tag)
        {
            case >= 0x80 and <= 0xbf:
                value = tag - 0x90;
                return true;
            case >= 0xc0 and <= 0xcf:
                if (!TryByte(content, ref at, out var b1))
                {
                    return false;
                }

                value = ((tag - 0xc8) << 8) | b1;
                return true;
            case >= 0xd0 and <= 0xd7:
                if (at + 2 > content.Length)
                {
                    return false;
                }

                value = ((tag - 0xd4) << 16) | (content[at] << 8) | content[at + 1];
                at += 2;
                return true;
            case (byte)'I':
                if (at + 4 > content.Length)
                {
                    return false;
                }

                value = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(content[at..]);
                at += 4;
                return true;
            default:
                return false;
        }
    }

    private static bool TryByte(ReadOnlySpan<byte> content, scoped ref int at, out byte value)
    {
        if (at >= content.Length)
        {
            value = 0;
            return false;
        }

        value = content[at++];
        return true;
    }
}
