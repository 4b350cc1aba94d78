namespace MeshEdge.Config.Model;

/// <summary>
/// Which parts of the client's certificate this hop's x-forwarded-client-cert element carries besides
/// By and Hash (Envoy's <c>set_current_client_cert_details</c>).
/// </summary>
[Flags]
public enum ClientCertDetails
{
    None = 0,

    /// <summary>Subject="..." (RFC 2253), present even when empty.</summary>
    Subject = 1,

    /// <summary>URI=... for each URI SAN (URI= when there is none).</summary>
    Uri = 2,

    /// <summary>DNS=... for each DNS SAN.</summary>
    Dns = 4,

    /// <summary>Cert="..." the leaf certificate, PEM, URL-encoded.</summary>
    Cert = 8,

    /// <summary>Chain="..." the chain the client sent, leaf first, PEM, URL-encoded.</summary>
    Chain = 16,
}
