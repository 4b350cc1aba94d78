using MeshEdge.Config.Model;
using MeshEdge.Native.Tls;

namespace MeshEdge.Native.Http.Routing;

/// <summary>
/// A route's <c>match.tls</c>, compiled: whether the downstream presented a (verified) client
/// certificate, and conditions on its URI and DNS SANs, read from the identity captured at the
/// handshake (no OpenSSL call, no allocation per request). A plaintext connection presents nothing.
/// </summary>
internal sealed class TlsRouteCondition(RouteTlsMatchConfig config)
{
    private readonly SubjectAltNameMatcher? _uri = config.PeerUriSan is { } uri ? new SubjectAltNameMatcher(uri) : null;
    private readonly SubjectAltNameMatcher? _dns = config.PeerDnsSan is { } dns ? new SubjectAltNameMatcher(dns) : null;

    public bool Matches(TlsPeerIdentity? peer)
    {
        var presented = peer is { Presented: true };
        if (config.Presented is { } wanted && wanted != presented)
        {
            return false;
        }

        return (_uri is null || (presented && _uri.MatchesAny(peer!.UriSans)))
            && (_dns is null || (presented && _dns.MatchesAny(peer!.DnsSans)));
    }
}
