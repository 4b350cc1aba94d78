namespace MeshEdge.Native.Tls;

/// <summary>Why a handshake failed, as counted in /stats and /metrics (snake_case of the name).</summary>
internal enum TlsFailureReason
{
    /// <summary>The first bytes were not a TLS record (a plaintext request on a TLS port, most often).</summary>
    NotTls,

    /// <summary>The client offered no version this listener allows.</summary>
    Version,

    /// <summary>No cipher (or group, or signature algorithm) in common.</summary>
    NoSharedCipher,

    /// <summary>The handshake did not complete within the listener's handshake_timeout.</summary>
    Timeout,

    /// <summary>The client closed or reset the connection before the handshake completed.</summary>
    PeerClosed,

    /// <summary>Anything else libssl refused (an alert from the client, a malformed message).</summary>
    Other,

    /// <summary>Mutual TLS required a client certificate and the client sent none.</summary>
    NoClientCertificate,

    /// <summary>The client's certificate did not verify against the listener's client CA (unknown CA, expired, malformed).</summary>
    BadClientCertificate,

    /// <summary>The client's certificate verified, but none of its SANs matches the listener's match_subject_alt_names.</summary>
    SanMismatch,
}
