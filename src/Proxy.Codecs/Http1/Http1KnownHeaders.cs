using System.Text;

namespace MeshEdge.Codecs.Http1;

/// <summary>Field names are case-insensitive (RFC 9110 §5.1): a switch on length, then an ASCII compare.</summary>
internal static class Http1KnownHeaders
{
    /// <summary>Any case, as HTTP/1.1 sends names.</summary>
    public static Http1KnownHeader Classify(ReadOnlySpan<byte> name) => Classify<IgnoreCase>(name);

    /// <summary>
    /// A name known to be lowercase already: HTTP/2's (the frame layer refuses a field name with an
    /// uppercase letter, RFC 9113 §8.2.1), so a plain byte compare does and the case folding is skipped.
    /// </summary>
    public static Http1KnownHeader ClassifyLowercase(ReadOnlySpan<byte> name) => Classify<ExactBytes>(name);

    // One table for both: the comparison is a struct type argument, so each caller gets its own
    // specialised copy with the compare inlined.
    private static Http1KnownHeader Classify<TMatch>(ReadOnlySpan<byte> name)
        where TMatch : struct, INameMatch => name.Length switch
        {
            2 when TMatch.Is(name, "te"u8) => Http1KnownHeader.TE,
            3 when TMatch.Is(name, "via"u8) => Http1KnownHeader.Via,
            4 when TMatch.Is(name, "host"u8) => Http1KnownHeader.Host,
            4 when TMatch.Is(name, "date"u8) => Http1KnownHeader.Date,
            6 when TMatch.Is(name, "expect"u8) => Http1KnownHeader.Expect,
            6 when TMatch.Is(name, "cookie"u8) => Http1KnownHeader.Cookie,
            6 when TMatch.Is(name, "server"u8) => Http1KnownHeader.Server,
            6 when TMatch.Is(name, "accept"u8) => Http1KnownHeader.Accept,
            7 when TMatch.Is(name, "upgrade"u8) => Http1KnownHeader.Upgrade,
            7 when TMatch.Is(name, "trailer"u8) => Http1KnownHeader.Trailer,
            8 when TMatch.Is(name, "location"u8) => Http1KnownHeader.Location,
            9 when TMatch.Is(name, "forwarded"u8) => Http1KnownHeader.Forwarded,
            10 when TMatch.Is(name, "connection"u8) => Http1KnownHeader.Connection,
            10 when TMatch.Is(name, "keep-alive"u8) => Http1KnownHeader.KeepAlive,
            10 when TMatch.Is(name, "user-agent"u8) => Http1KnownHeader.UserAgent,
            10 when TMatch.Is(name, "set-cookie"u8) => Http1KnownHeader.SetCookie,
            12 when TMatch.Is(name, "content-type"u8) => Http1KnownHeader.ContentType,
            12 when TMatch.Is(name, "x-request-id"u8) => Http1KnownHeader.XRequestId,
            13 when TMatch.Is(name, "authorization"u8) => Http1KnownHeader.Authorization,
            13 when TMatch.Is(name, "cache-control"u8) => Http1KnownHeader.CacheControl,
            14 when TMatch.Is(name, "content-length"u8) => Http1KnownHeader.ContentLength,
            15 when TMatch.Is(name, "accept-encoding"u8) => Http1KnownHeader.AcceptEncoding,
            15 when TMatch.Is(name, "x-forwarded-for"u8) => Http1KnownHeader.XForwardedFor,
            16 when TMatch.Is(name, "proxy-connection"u8) => Http1KnownHeader.ProxyConnection,
            16 when TMatch.Is(name, "content-encoding"u8) => Http1KnownHeader.ContentEncoding,
            16 when TMatch.Is(name, "x-forwarded-host"u8) => Http1KnownHeader.XForwardedHost,
            17 when TMatch.Is(name, "transfer-encoding"u8) => Http1KnownHeader.TransferEncoding,
            17 when TMatch.Is(name, "x-forwarded-proto"u8) => Http1KnownHeader.XForwardedProto,
            18 when TMatch.Is(name, "proxy-authenticate"u8) => Http1KnownHeader.ProxyAuthenticate,
            19 when TMatch.Is(name, "proxy-authorization"u8) => Http1KnownHeader.ProxyAuthorization,
            _ => Http1KnownHeader.Unknown,
        };

    /// <summary>
    /// Headers that describe one connection, never forwarded (RFC 9110 §7.6.1). Headers named in a
    /// Connection field are hop-by-hop too; see <see cref="Http1ConnectionTokens.Lists"/>.
    /// </summary>
    public static bool IsHopByHop(Http1KnownHeader header) => header is Http1KnownHeader.Connection
        or Http1KnownHeader.KeepAlive
        or Http1KnownHeader.ProxyConnection
        or Http1KnownHeader.TE
        or Http1KnownHeader.Trailer
        or Http1KnownHeader.TransferEncoding
        or Http1KnownHeader.Upgrade;

    private interface INameMatch
    {
        static abstract bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lowerCase);
    }

    private readonly struct IgnoreCase : INameMatch
    {
        public static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lowerCase) => Ascii.EqualsIgnoreCase(name, lowerCase);
    }

    private readonly struct ExactBytes : INameMatch
    {
        public static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lowerCase) => name.SequenceEqual(lowerCase);
    }
}
