namespace MeshEdge.Config.Model;

/// <summary>
/// What an HTTP listener does with x-forwarded-client-cert (Envoy's <c>forward_client_cert_details</c>).
/// "mTLS" means the client presented a certificate that verified.
/// </summary>
public enum ForwardClientCertDetails
{
    /// <summary>Remove the header; send none (the default: a client cannot forge it).</summary>
    Sanitize,

    /// <summary>mTLS: forward the client's header unchanged; otherwise remove it.</summary>
    ForwardOnly,

    /// <summary>mTLS: append this hop's element to the client's header (or start one); otherwise remove it.</summary>
    AppendForward,

    /// <summary>mTLS: replace the client's header with this hop's element; otherwise remove it.</summary>
    SanitizeSet,

    /// <summary>Forward the client's header unchanged, mTLS or not.</summary>
    AlwaysForwardOnly,
}
