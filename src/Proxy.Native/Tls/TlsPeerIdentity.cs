using MeshEdge.Config.Model;
using MeshEdge.Native.Tls.Interop;
using static MeshEdge.Native.Tls.Interop.X509Constants;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Who is on the other end of a TLS connection and how it is protected, captured once when the
/// handshake completes, so that routes, access logs and x-forwarded-client-cert read bytes and
/// never call into OpenSSL per request. A client that presented no certificate has only the version
/// and cipher (both point at static strings in libssl: nothing is copied for them).
/// </summary>
internal sealed unsafe class TlsPeerIdentity
{
    private static readonly byte[] Tls12 = "TLSv1.2"u8.ToArray();
    private static readonly byte[] Tls13 = "TLSv1.3"u8.ToArray();

    /// <summary>
    /// The last identity without a certificate made on this (worker) thread: most connections have none
    /// and share a version and cipher, so they share this one object (it is immutable) instead of
    /// each keeping its own.
    /// </summary>
    [ThreadStatic]
    private static TlsPeerIdentity? t_lastAnonymous;

    private readonly byte* _cipher;
    private readonly int _cipherLength;

    private TlsPeerIdentity(byte[] version, byte* cipher)
    {
        Version = version;
        _cipher = cipher;
        while (_cipher != null && _cipher[_cipherLength] != 0)
        {
            _cipherLength++;
        }
    }

    /// <summary>Whether the client presented a certificate (it verified, or the handshake would have failed).</summary>
    public bool Presented { get; private init; }

    public byte[][] UriSans { get; private init; } = [];

    public byte[][] DnsSans { get; private init; } = [];

    /// <summary>The peer's subject, RFC 2253 ("CN=client,O=Example"); empty without a certificate.</summary>
    public byte[] Subject { get; private init; } = [];

    /// <summary>SHA-256 of the peer certificate's DER, lower-case hex; empty without a certificate.</summary>
    public byte[] Fingerprint256 { get; private init; } = [];

    /// <summary>This hop's x-forwarded-client-cert element (By, Hash, and the listener's details); empty when not asked for or no certificate.</summary>
    public byte[] ForwardedClientCert { get; private init; } = [];

    /// <summary>"TLSv1.2" or "TLSv1.3", as Envoy logs it.</summary>
    public byte[] Version { get; }

    /// <summary>The negotiated cipher suite in OpenSSL's name ("TLS_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256").</summary>
    public ReadOnlySpan<byte> Cipher => new(_cipher, _cipherLength);

    /// <summary>
    /// Reads the finished handshake of <paramref name="ssl"/>. <paramref name="clientCertDetails"/> (null: none
    /// wanted) are the parts of the certificate this hop's x-forwarded-client-cert element carries.
    /// </summary>
    public static TlsPeerIdentity Capture(nint ssl, ClientCertDetails? clientCertDetails)
    {
        var version = LibSsl.SSL_version(ssl) == SslConstants.TLS1_3_VERSION ? Tls13 : Tls12;
        var cipher = LibSsl.SSL_CIPHER_get_name(LibSsl.SSL_get_current_cipher(ssl));
        var peer = LibSsl.SSL_get0_peer_certificate(ssl);
        if (peer == 0)
        {
            if (t_lastAnonymous is { } last && last._cipher == cipher && ReferenceEquals(last.Version, version))
            {
                return last;
            }

            return t_lastAnonymous = new TlsPeerIdentity(version, cipher);
        }

        var uris = CertificateReader.Sans(peer, GEN_URI);
        var dns = CertificateReader.Sans(peer, GEN_DNS);
        var subject = CertificateReader.Subject(peer);
        var hash = CertificateReader.Sha256Hex(peer);
        var element = clientCertDetails is { } details
            ? ClientCertElement.Build(ssl, peer, details, hash, subject, uris, dns)
            : [];
        return new TlsPeerIdentity(version, cipher)
        {
            Presented = true,
            UriSans = uris,
            DnsSans = dns,
            Subject = subject,
            Fingerprint256 = hash,
            ForwardedClientCert = element,
        };
    }
}
