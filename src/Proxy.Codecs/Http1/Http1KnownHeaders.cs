using System.Text;

namespace MeshEdge.Codecs.Http1;

/// <summary>Field names are case-insensitive (RFC 9110 §5.1): a switch on length, then an ASCII compare.</summary>
internal static class Http1KnownHeaders
{
    public static Http1KnownHeader Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when Is(name, "te"u8) => Http1KnownHeader.TE,
        3 when Is(name, "via"u8) => Http1KnownHeader.Via,
        4 when Is(name, "host"u8) => Http1KnownHeader.Host,
        4 when Is(name, "date"u8) => Http1KnownHeader.Date,
        6 when Is(name, "expect"u8) => Http1KnownHeader.Expect,
        6 when Is(name, "cookie"u8) => Http1KnownHeader.Cookie,
        6 when Is(name, "server"u8) => Http1KnownHeader.Server,
        6 when Is(name, "accept"u8) => Http1KnownHeader.Accept,
        7 when Is(name, "upgrade"u8) => Http1KnownHeader.Upgrade,
        7 when Is(name, "trailer"u8) => Http1KnownHeader.Trailer,
        8 when Is(name, "location"u8) => Http1KnownHeader.Location,
        9 when Is(name, "forwarded"u8) => Http1KnownHeader.Forwarded,
        10 when Is(name, "connection"u8) => Http1KnownHeader.Connection,
        10 when Is(name, "keep-alive"u8) => Http1KnownHeader.KeepAlive,
        10 when Is(name, "user-agent"u8) => Http1KnownHeader.UserAgent,
        10 when Is(name, "set-cookie"u8) => Http1KnownHeader.SetCookie,
        12 when Is(name, "content-type"u8) => Http1KnownHeader.ContentType,
        12 when Is(name, "x-request-id"u8) => Http1KnownHeader.XRequestId,
        13 when Is(name, "authorization"u8) => Http1KnownHeader.Authorization,
        13 when Is(name, "cache-control"u8) => Http1KnownHeader.CacheControl,
        14 when Is(name, "content-length"u8) => Http1KnownHeader.ContentLength,
        15 when Is(name, "accept-encoding"u8) => Http1KnownHeader.AcceptEncoding,
        15 when Is(name, "x-forwarded-for"u8) => Http1KnownHeader.XForwardedFor,
        16 when Is(name, "proxy-connection"u8) => Http1KnownHeader.ProxyConnection,
        16 when Is(name, "content-encoding"u8) => Http1KnownHeader.ContentEncoding,
        16 when Is(name, "x-forwarded-host"u8) => Http1KnownHeader.XForwardedHost,
        17 when Is(name, "transfer-encoding"u8) => Http1KnownHeader.TransferEncoding,
        17 when Is(name, "x-forwarded-proto"u8) => Http1KnownHeader.XForwardedProto,
        18 when Is(name, "proxy-authenticate"u8) => Http1KnownHeader.ProxyAuthenticate,
        19 when Is(name, "proxy-authorization"u8) => Http1KnownHeader.ProxyAuthorization,
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

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lowerCase) => Ascii.EqualsIgnoreCase(name, lowerCase);
}
