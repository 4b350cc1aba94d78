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

    /// <summary>
    /// TLS 1.3 session tickets sent after each handshake (<c>session_tickets</c>); 0 turns session
    /// resumption off (no TLS 1.2 tickets either). One by default, not OpenSSL's two: see
    /// <see cref="DefaultSessionTickets"/>.
    /// </summary>
    public int SessionTickets { get; init; } = DefaultSessionTickets;

    /// <summary>
    /// Whether the server's order of <see cref="Ciphers"/> and <see cref="CipherSuites"/> decides
    /// (<c>prefer_server_ciphers</c>, on by default), with ChaCha20 kept for a client that lists it
    /// first (one without AES instructions); off: the client's order decides.
    /// </summary>
    public bool PreferServerCiphers { get; init; } = true;

    /// <summary>
    /// One ticket per handshake: a ticket is sealed with the process's keys and may be used again
    /// (nothing here makes tickets single-use), so a second one only lets a client that spends each
    /// ticket once resume two connections in parallel; every client pays for each ticket it gets
    /// (a record, a session copy and a key derivation in OpenSSL: about 2% of an ECDSA handshake's
    /// client instructions), and every resumed handshake brings a new one.
    /// </summary>
    public const int DefaultSessionTickets = 1;

    /// <summary>The most <c>session_tickets</c> may ask for.</summary>
    public const int MaxSessionTickets = 16;

    /// <summary>Mozilla's "intermediate" TLS 1.2 list (server side, version 5.7).</summary>
    public const string IntermediateCiphers =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
        + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";

    /// <summary>Every TLS 1.3 suite, as Mozilla's "intermediate" and OpenSSL's default have it.</summary>
    public const string IntermediateCipherSuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
}
