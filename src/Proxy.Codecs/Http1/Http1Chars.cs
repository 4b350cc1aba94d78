using System.Buffers;

namespace MeshEdge.Codecs.Http1;

/// <summary>
/// The character classes of RFC 9110/9112 as vectorised sets, so validating a line is one
/// IndexOfAnyExcept rather than a branch per byte.
/// </summary>
internal static class Http1Chars
{
    public const byte Cr = (byte)'\r';
    public const byte Lf = (byte)'\n';
    public const byte Space = (byte)' ';
    public const byte Tab = (byte)'\t';
    public const byte Colon = (byte)':';

    /// <summary>tchar (RFC 9110 §5.6.2): methods, field names, transfer codings, connection options.</summary>
    public static readonly SearchValues<byte> Token = SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>
    /// What a field value may not hold: the CTLs other than HT, and DEL (field-vchar / SP / HTAB /
    /// obs-text is everything else). Searched for as the complement on purpose: a set of ASCII
    /// bytes only takes SearchValues' ASCII vector path, while "any except" the 0x80-0xFF range falls
    /// back to a generic byte search several times slower, paid on every field of every request.
    /// </summary>
    public static readonly SearchValues<byte> NotFieldValue = SearchValues.Create(NotFieldValueBytes());

    /// <summary>The request-target is a URI: visible ASCII only (no SP, no CTL, no obs-text).</summary>
    public static readonly SearchValues<byte> RequestTarget = SearchValues.Create(VisibleAsciiBytes());

    public static bool IsWhitespace(byte b) => b is Space or Tab;

    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length && IsWhitespace(value[start]))
        {
            start++;
        }

        var end = value.Length;
        while (end > start && IsWhitespace(value[end - 1]))
        {
            end--;
        }

        return value[start..end];
    }

    public static bool IsToken(ReadOnlySpan<byte> value) => !value.IsEmpty && !value.ContainsAnyExcept(Token);

    private static byte[] NotFieldValueBytes()
    {
        var bytes = new List<byte> { 0x7F };
        for (var b = 0x00; b < 0x20; b++)
        {
            if (b != Tab)
            {
                bytes.Add((byte)b);
            }
        }

        return [.. bytes];
    }

    private static byte[] VisibleAsciiBytes()
    {
        var bytes = new byte[0x7E - 0x21 + 1];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(0x21 + i);
        }

        return bytes;
    }
}
