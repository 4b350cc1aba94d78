namespace MeshEdge.Config.Model;

/// <summary>
/// A route condition on the downstream connection's TLS peer (a route's <c>match.tls</c>): whether a
/// verified client certificate was presented, and conditions on its URI or DNS SANs. Every given
/// condition must hold; on a plaintext connection no certificate is presented.
/// </summary>
/// <param name="Presented">True: a client certificate is required; false: its absence is; null: either.</param>
public sealed record RouteTlsMatchConfig(bool? Presented)
{
    /// <summary>Some URI SAN of the peer's certificate matches (a SPIFFE id, say).</summary>
    public SubjectAltNameMatch? PeerUriSan { get; init; }

    /// <summary>Some DNS SAN of the peer's certificate matches.</summary>
    public SubjectAltNameMatch? PeerDnsSan { get; init; }
}
