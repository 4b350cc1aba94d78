namespace MeshEdge.Config.Model;

/// <summary>Whether a TLS listener asks its clients for a certificate (mutual TLS).</summary>
public enum TlsClientCertificate
{
    /// <summary>Not asked for.</summary>
    None,

    /// <summary>Asked for; a client may send none, but one it sends must verify against the client CA.</summary>
    Optional,

    /// <summary>A certificate that verifies against the client CA is required.</summary>
    Required,
}
