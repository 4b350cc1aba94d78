namespace MeshEdge.Codecs.Http1;

/// <summary>
/// chunk-size [ chunk-ext ] (RFC 9112 §7.1). Extensions are tolerated and skipped (no proxy needs
/// them) but must be well-formed enough that no other parser could read a different size: hex digits,
/// then optional whitespace, then nothing or ";" and visible characters.
/// </summary>
internal static class Http1ChunkSizeLine
{
    /// <summary>Sizes beyond this are refused; 2^60 bytes is far past any real body and cannot overflow a long.</summary>
    private const int MaxHexDigits = 15;

    public static Http1Error Parse(ReadOnlySpan<byte> line, out long size)
    {
        size = 0;
        var digits = 0;
        while (digits < line.Length && TryHexValue(line[digits], out var nibble))
        {
            if (digits == MaxHexDigits)
            {
                return Http1Error.ChunkSizeOverflow;
            }

            size = (size << 4) | nibble;
            digits++;
        }

        if (digits == 0)
        {
            return line.Contains((byte)0) ? Http1Error.NulCharacter : Http1Error.InvalidChunkSize;
        }

        var rest = line[digits..];
        var afterWhitespace = rest.IndexOfAnyExcept(Http1Chars.Space, Http1Chars.Tab);
        if (afterWhitespace < 0)
        {
            // Whitespace alone after the size ("5 ") is BWS before an absent extension; allowed.
            return Http1Error.None;
        }

        if (rest[afterWhitespace] != (byte)';')
        {
            return Http1Error.InvalidChunkSize;
        }

        var extensions = rest[(afterWhitespace + 1)..];
        var bad = extensions.IndexOfAny(Http1Chars.NotFieldValue);
        return bad < 0 ? Http1Error.None : extensions[bad] == 0 ? Http1Error.NulCharacter : Http1Error.InvalidChunkExtension;
    }

    private static bool TryHexValue(byte b, out long value)
    {
        value = b switch
        {
            >= (byte)'0' and <= (byte)'9' => b - '0',
            >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
