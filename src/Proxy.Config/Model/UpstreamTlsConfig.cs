using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>
/// A cluster's <c>tls</c> table: MeshEdge originates TLS to every host of the cluster, verifies the
/// server (against <see cref="Ca"/>, or the system's trust store when it is not set, unless
/// <see cref="Verify"/> is off) and may present a client certificate (mesh mTLS).
/// </summary>
/// <param name="Sni">The server name sent; null: a strict_dns host's own name, none for an IP address.</param>
/// <param name="Ca">The PEM bundle the server's chain must verify against; null: the system's trust store.</param>
/// <param name="Verify">False only when the config says <c>verify = false</c> (logged as a warning).</param>
/// <param name="SubjectAltNames">Names the server's certificate must carry one of (DNS names, or URIs such as
/// SPIFFE IDs); empty: the server name sent, when there is one.</param>
/// <param name="CertificateChain">The client certificate's PEM chain, with <see cref="PrivateKey"/>; null for none.</param>
/// <param name="Alpn">Protocols offered by ALPN, in order; empty offers none.</param>
/// <param name="KeyPath">Where the table sits (<c>clusters[2].tls</c>), for errors found when the files are loaded.</param>
public sealed record UpstreamTlsConfig(
    string? Sni,
    PemSource? Ca,
    bool Verify,
    ImmutableArray<string> SubjectAltNames,
    PemSource? CertificateChain,
    PemSource? PrivateKey,
    ImmutableArray<string> Alpn,
    TlsVersion MinVersion,
    TlsVersion MaxVersion,
    string Ciphers,
    string CipherSuites,
    string KeyPath)
{
    /// <summary>Whether <paramref name="name"/> is a URI subject alternative name (has a scheme), not a DNS name.</summary>
    /// <summary>The validation secret <see cref="Ca"/> comes from (<c>ca_secret</c>); null when given directly.</summary>
    public string? CaSecret { get; init; }

    /// <summary>The secret the client certificate and key come from (<c>certificate_secret</c>); null when given directly.</summary>
    public string? CertificateSecret { get; init; }

    public static bool IsUriName(string name) => name.Contains("://", StringComparison.Ordinal);
}
