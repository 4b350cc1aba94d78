namespace MeshEdge.Codecs.Http1;

/// <summary>
/// Content-Length = 1*DIGIT (RFC 9110 §8.6). No sign, no hex, no inner space: "+5" and "0x5" are the
/// classic ways to make two parsers disagree. A list of identical values ("5, 5", or the same value on
/// two lines) is accepted as the RFC allows; differing values are an error.
/// </summary>
internal static class Http1ContentLength
{
    /// <summary>Merges one field value into <paramref name="length"/> (-1 while none has been seen).</summary>
    public static Http1Error Merge(ReadOnlySpan<byte> value, ref long length)
    {
        var any = false;
        while (Http1ListElements.TryNext(ref value, out var element))
        {
            if (!TryParseDigits(element, out var parsed))
            {
                return Http1Error.InvalidContentLength;
            }

            if (length >= 0 && length != parsed)
            {
                return Http1Error.ConflictingContentLength;
            }

            length = parsed;
            any = true;
        }

        return any ? Http1Error.None : Http1Error.InvalidContentLength;
    }

    private static bool TryParseDigits(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        foreach (var b in digits)
        {
            var digit = (uint)(b - '0');
            if (digit > 9 || value > (long.MaxValue - digit) / 10)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
