namespace MeshEdge.Codecs.Http1;

/// <summary>field-line = field-name ":" OWS field-value OWS (RFC 9112 §5), checked strictly.</summary>
internal static class Http1FieldLine
{
    public static Http1Error Parse(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        name = default;
        value = default;

        // obs-fold, or whitespace before the first field (§2.2): both could hide a field from one parser
        // and show it to another.
        if (Http1Chars.IsWhitespace(line[0]))
        {
            return Http1Error.ObsFold;
        }

        var colon = line.IndexOf(Http1Chars.Colon);
        if (colon < 0)
        {
            return line.Contains((byte)0) ? Http1Error.NulCharacter : Http1Error.MissingColon;
        }

        name = line[..colon];
        var badName = name.IndexOfAnyExcept(Http1Chars.Token);
        if (name.IsEmpty || badName >= 0)
        {
            return ClassifyBadName(name, badName);
        }

        value = Http1Chars.TrimWhitespace(line[(colon + 1)..]);
        var badValue = value.IndexOfAny(Http1Chars.NotFieldValue);
        if (badValue >= 0)
        {
            return value[badValue] == 0 ? Http1Error.NulCharacter : Http1Error.InvalidFieldValue;
        }

        return Http1Error.None;
    }

    private static Http1Error ClassifyBadName(ReadOnlySpan<byte> name, int bad)
    {
        if (bad < 0)
        {
            return Http1Error.InvalidFieldName;
        }

        if (name[bad] == 0)
        {
            return Http1Error.NulCharacter;
        }

        // "Transfer-Encoding : chunked" (§5.1 demands a 400): only whitespace between name and colon.
        var tail = name[bad..];
        return tail.ContainsAnyExcept(Http1Chars.Space, Http1Chars.Tab) ? Http1Error.InvalidFieldName : Http1Error.WhitespaceBeforeColon;
    }
}
