using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>
/// A listener's <c>tls</c> table: TLS is terminated on the worker's loop before the session sees a
/// byte. The first certificate is the default (a client without SNI, or with a name no certificate
/// lists, gets it); the others are chosen by SNI.
/// </summary>
/// <param name="Ciphers">TLS 1.2 cipher list (OpenSSL syntax).</param>
/// <param name="CipherSuites">TLS 1.3 cipher suites (OpenSSL syntax).</param>
/// <param name="Alpn">Protocols offered by ALPN, in the server's order of preference.</param>
/// <param name="HandshakeTimeout">A handshake not complete within this is closed and counted.</param>
public sealed record TlsConfig(
    ImmutableArray<TlsCertificateConfig> Certificates,
    TlsVersion MinVersion,
    TlsVersion MaxVersion,
    string Ciphers,
    string CipherSuites,
    ImmutableArray<string> Alpn,
    TimeSpan HandshakeTimeout)
{
    /// <summary>Mutual TLS: whether clients are asked for a certificate.</summary>
    public TlsClientCertificate ClientCertificate { get; init; }

    /// <summary>The PEM bundle of CAs client certificates must chain to; set when <see cref="ClientCertificate"/> is not None.</summary>
    public PemSource? ClientCa { get; init; }

    /// <summary>The validation secret <see cref="ClientCa"/> comes from (<c>client_ca_secret</c>); null when given directly.</summary>
    public string? ClientCaSecret { get; init; }

    /// <summary>Mutual TLS: a client certificate must have a SAN matching one of these (none: any verified certificate).</summary>
    public ImmutableArray<SubjectAltNameMatch> MatchSubjectAltNames { get; init; } = [];

    /// <summary>Mozilla's "intermediate" TLS 1.2 list (server side, version 5.7).</summary>
    public const string IntermediateCiphers =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
        + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";

    /// <summary>Every TLS 1.3 suite, as Mozilla's "intermediate" and OpenSSL's default have it.</summary>
    public const string IntermediateCipherSuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
}
