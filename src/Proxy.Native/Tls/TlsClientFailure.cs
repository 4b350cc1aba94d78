namespace MeshEdge.Native.Tls;

/// <summary>Why a handshake to an upstream host failed, as counted per cluster in /stats and /metrics (snake_case of the name).</summary>
internal enum TlsClientFailure
{
    /// <summary>The server's chain did not verify against the cluster's CA (unknown CA, expired, malformed).</summary>
    VerifyFailed,

    /// <summary>The chain verified, but the certificate carries none of the expected names (subject_alt_names, or the SNI).</summary>
    SanMismatch,

    /// <summary>The server did not answer with TLS (a plaintext port).</summary>
    NotTls,

    /// <summary>No version in common.</summary>
    Version,

    /// <summary>No cipher, group or signature algorithm in common (or the server refused the handshake without saying why).</summary>
    NoSharedCipher,

    /// <summary>MeshEdge gave up on it: the cluster's connect_timeout (TCP connect and handshake) passed, or nobody waited for it any more.</summary>
    Timeout,

    /// <summary>The server closed or reset the connection during the handshake.</summary>
    PeerClosed,

    /// <summary>Anything else libssl refused.</summary>
    Other,
}
