namespace MeshEdge.Codecs.Http1;

/// <summary>
/// Header names the codec or the proxy acts on, recognised by byte comparison so that routing and
/// framing never need a string. Anything else is <see cref="Unknown"/> and keeps only its bytes.
/// </summary>
internal enum Http1KnownHeader : byte
{
    Unknown,

    // Framing and connection management (hop-by-hop ones marked in Http1KnownHeaders.IsHopByHop).
    Host,
    ContentLength,
    TransferEncoding,
    Connection,
    Expect,
    Upgrade,
    KeepAlive,
    TE,
    Trailer,
    ProxyConnection,

    // End-to-end headers the router, the access log and the local replies look at.
    ContentType,
    ContentEncoding,
    Date,
    Server,
    UserAgent,
    Accept,
    AcceptEncoding,
    Authorization,
    ProxyAuthorization,
    ProxyAuthenticate,
    Cookie,
    SetCookie,
    CacheControl,
    Location,
    Via,
    Forwarded,
    XForwardedFor,
    XForwardedProto,
    XForwardedHost,
    XRequestId,
}
