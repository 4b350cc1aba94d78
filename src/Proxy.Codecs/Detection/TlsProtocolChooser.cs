using MeshEdge.Codecs.Tls;

namespace MeshEdge.Codecs.Detection;

/// <summary>
/// What an auto listener that terminates TLS would serve inside it, from the ClientHello's ALPN
/// offer (RFC 7301: the server picks from the client's list): HTTP/2 when offered and served, else
/// HTTP/1 when offered or when nothing is (HTTPS without ALPN is HTTP/1.1), else unknown (the TCP
/// fallback). Only the choice; which session runs it is the listener's wiring.
/// </summary>
internal static class TlsProtocolChooser
{
    public static DetectedProtocol Choose(TlsAlpnOffer offer, bool servesHttp2) =>
        (offer & TlsAlpnOffer.H2) != 0 && servesHttp2 ? DetectedProtocol.Http2
        : offer == TlsAlpnOffer.None || (offer & TlsAlpnOffer.Http11) != 0 ? DetectedProtocol.Http1
        : DetectedProtocol.Unknown;
}
