namespace MeshEdge.Codecs.Http1;

/// <summary>The pieces of request lines and status lines (RFC 9112 §2.3, §3, §4).</summary>
internal static class Http1StartLine
{
    /// <summary>request-line = method SP request-target SP HTTP-version, single spaces only.</summary>
    public static Http1Error ParseRequestLine(
        ReadOnlySpan<byte> line,
        out ReadOnlySpan<byte> method,
        out ReadOnlySpan<byte> target,
        out Http1Version version)
    {
        method = default;
        target = default;
        version = default;

        var space = line.IndexOf(Http1Chars.Space);
        method = space < 0 ? line : line[..space];
        var badMethod = method.IndexOfAnyExcept(Http1Chars.Token);
        if (method.IsEmpty || badMethod >= 0)
        {
            return badMethod >= 0 && method[badMethod] == 0 ? Http1Error.NulCharacter : Http1Error.InvalidMethod;
        }

        if (space < 0)
        {
            return Http1Error.InvalidRequestTarget;
        }

        var rest = line[(space + 1)..];
        var secondSpace = rest.IndexOf(Http1Chars.Space);
        if (secondSpace < 0)
        {
            // "GET /" is HTTP/0.9, which a proxy must not speak.
            return rest.Contains((byte)0) ? Http1Error.NulCharacter : Http1Error.InvalidVersion;
        }

        target = rest[..secondSpace];
        var badTarget = target.IndexOfAnyExcept(Http1Chars.RequestTarget);
        if (target.IsEmpty || badTarget >= 0)
        {
            return badTarget >= 0 && target[badTarget] == 0 ? Http1Error.NulCharacter : Http1Error.InvalidRequestTarget;
        }

        var error = ParseVersion(rest[(secondSpace + 1)..], out version);
        if (error != Http1Error.None)
        {
            return error;
        }

        return CheckTargetForm(Http1Methods.Classify(method), target);
    }

    /// <summary>status-line = HTTP-version SP 3DIGIT SP [reason-phrase]; "HTTP/1.1 200" without the last SP is tolerated.</summary>
    public static Http1Error ParseStatusLine(ReadOnlySpan<byte> line, out Http1Version version, out int statusCode, out ReadOnlySpan<byte> reason)
    {
        version = default;
        statusCode = 0;
        reason = default;
        if (line.Length < 12 || line[8] != Http1Chars.Space)
        {
            return line.Contains((byte)0) ? Http1Error.NulCharacter : Http1Error.InvalidStatusLine;
        }

        var error = ParseVersion(line[..8], out version);
        if (error != Http1Error.None)
        {
            return error;
        }

        uint d0 = (uint)(line[9] - '0'), d1 = (uint)(line[10] - '0'), d2 = (uint)(line[11] - '0');
        if (d0 is < 1 or > 9 || d1 > 9 || d2 > 9)
        {
            return Http1Error.InvalidStatusLine;
        }

        statusCode = (int)((d0 * 100) + (d1 * 10) + d2);
        if (line.Length == 12)
        {
            return Http1Error.None;
        }

        if (line[12] != Http1Chars.Space)
        {
            return Http1Error.InvalidStatusLine;
        }

        reason = line[13..];
        var bad = reason.IndexOfAny(Http1Chars.NotFieldValue);
        return bad < 0 ? Http1Error.None : reason[bad] == 0 ? Http1Error.NulCharacter : Http1Error.InvalidStatusLine;
    }

    /// <summary>Exactly "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3).</summary>
    public static Http1Error ParseVersion(ReadOnlySpan<byte> text, out Http1Version version)
    {
        version = default;
        if (text.Length != 8 || !text.StartsWith("HTTP/"u8) || text[6] != (byte)'.')
        {
            return text.Contains((byte)0) ? Http1Error.NulCharacter : Http1Error.InvalidVersion;
        }

        uint major = (uint)(text[5] - '0'), minor = (uint)(text[7] - '0');
        if (major > 9 || minor > 9 || major == 0)
        {
            return Http1Error.InvalidVersion;
        }

        if (major > 1)
        {
            return Http1Error.UnsupportedVersion;
        }

        // A higher 1.x minor is read as the highest one we implement (RFC 9110 §6.2).
        version = minor == 0 ? Http1Version.Http10 : Http1Version.Http11;
        return Http1Error.None;
    }

    /// <summary>The four request-target forms (RFC 9112 §3.2), each allowed only where it belongs.</summary>
    private static Http1Error CheckTargetForm(Http1Method method, ReadOnlySpan<byte> target)
    {
        if (method == Http1Method.Connect)
        {
            // authority-form: host:port, nothing else.
            return target[0] != (byte)'/' && target.Contains(Http1Chars.Colon) && !target.Contains((byte)'/')
                ? Http1Error.None
                : Http1Error.InvalidRequestTarget;
        }

        if (target[0] == (byte)'/')
        {
            return Http1Error.None;
        }

        if (target.Length == 1 && target[0] == (byte)'*')
        {
            return method == Http1Method.Options ? Http1Error.None : Http1Error.InvalidRequestTarget;
        }

        // absolute-form: scheme ":" hier-part, as sent to a forward proxy.
        return target.IndexOf("://"u8) > 0 ? Http1Error.None : Http1Error.InvalidRequestTarget;
    }
}
