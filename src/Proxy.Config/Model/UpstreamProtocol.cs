namespace MeshEdge.Config.Model;

/// <summary>What an HTTP cluster's connections speak (the cluster's <c>protocol</c> key).</summary>
public enum UpstreamProtocol : byte
{
    /// <summary>HTTP/1.1, one request at a time per connection (the default).</summary>
    Http1,

    /// <summary>
    /// HTTP/2, many streams per connection: over TLS when the cluster has a <c>tls</c> table (ALPN
    /// "h2"), else cleartext with prior knowledge (h2c).
    /// </summary>
    Http2,
}
