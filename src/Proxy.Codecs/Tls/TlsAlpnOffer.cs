namespace MeshEdge.Codecs.Tls;

/// <summary>
/// Which application protocols a ClientHello's ALPN list offers, as flags: all a session chooser
/// needs to tell HTTP/2 from HTTP/1.1 without keeping the list (see <see cref="TlsAlpnProtocols.Offer"/>).
/// </summary>
[Flags]
internal enum TlsAlpnOffer : byte
{
    /// <summary>No ALPN extension: the client names no protocol (HTTP/1.1 by convention for HTTPS).</summary>
    None = 0,

    Http11 = 1,

    H2 = 2,

    /// <summary>Some other protocol (http/1.0, h3, a private one...).</summary>
    Other = 4,
}
