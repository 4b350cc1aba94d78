using System.Runtime.CompilerServices;

namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>The byte-level rules of RFC 9113 §8.2 and §8.3 for one field.</summary>
internal static class Http2FieldRules
{
    /// <summary>§8.2.1: no byte 0x00-0x20, 0x41-0x5a (uppercase) or 0x7f-0xff in a name, and a colon only as a pseudo-header's first byte.</summary>
    public static Http2FieldError CheckName(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || (name[0] == (byte)':' && name.Length == 1))
        {
            return Http2FieldError.InvalidName;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var b = name[i];
            if (b is >= (byte)'A' and <= (byte)'Z')
            {
                return Http2FieldError.UppercaseName;
            }

            if (b <= 0x20 || b >= 0x7f || (b == (byte)':' && i > 0))
            {
                return Http2FieldError.InvalidName;
            }
        }

        return Http2FieldError.None;
    }

    /// <summary>True when the value is invalid (§8.2.1): NUL, CR or LF anywhere, whitespace at either end.</summary>
    public static bool CheckValue(ReadOnlySpan<byte> value)
    {
        if (value.IndexOfAny((byte)0, (byte)'\r', (byte)'\n') >= 0)
        {
            return true;
        }

        return !value.IsEmpty && (value[0] is (byte)' ' or (byte)'\t' || value[^1] is (byte)' ' or (byte)'\t');
    }

    /// <summary>§8.2.2: fields that describe one hop of HTTP/1.1 and have no meaning in HTTP/2.</summary>
    public static bool IsConnectionSpecific(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("connection"u8) || name.SequenceEqual("keep-alive"u8) || name.SequenceEqual("proxy-connection"u8)
        || name.SequenceEqual("transfer-encoding"u8) || name.SequenceEqual("upgrade"u8);

    /// <summary>The slot a pseudo-header fills, or a null ref when this kind of block does not define it.</summary>
    public static ref int PseudoSlot(ref Http2PseudoHeaders pseudo, ReadOnlySpan<byte> name, bool response)
    {
        if (response)
        {
            return ref name.SequenceEqual(":status"u8) ? ref pseudo.StatusIndex : ref Unsafe.NullRef<int>();
        }

        if (name.SequenceEqual(":method"u8))
        {
            return ref pseudo.Method;
        }

        if (name.SequenceEqual(":scheme"u8))
        {
            return ref pseudo.Scheme;
        }

        if (name.SequenceEqual(":authority"u8))
        {
            return ref pseudo.Authority;
        }

        return ref name.SequenceEqual(":path"u8) ? ref pseudo.Path : ref Unsafe.NullRef<int>();
    }

    /// <summary>Three digits, 100-599 and not 101 (§8.6: no Upgrade in HTTP/2); 0 when invalid.</summary>
    public static int ParseStatus(ReadOnlySpan<byte> value)
    {
        if (value.Length != 3 || !char.IsAsciiDigit((char)value[0]) || !char.IsAsciiDigit((char)value[1]) || !char.IsAsciiDigit((char)value[2]))
        {
            return 0;
        }

        var status = ((value[0] - '0') * 100) + ((value[1] - '0') * 10) + (value[2] - '0');
        return status is < 100 or > 599 or 101 ? 0 : status;
    }

    /// <summary>Decimal digits only, at most 18 of them; -1 otherwise.</summary>
    public static long ParseContentLength(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.Length > 18)
        {
            return -1;
        }

        long length = 0;
        foreach (var b in value)
        {
            if (!char.IsAsciiDigit((char)b))
            {
                return -1;
            }

            length = (length * 10) + (b - '0');
        }

        return length;
    }
}
