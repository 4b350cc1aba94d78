namespace MeshEdge.Codecs.Tls;

/// <summary>What a connection's first bytes say about its TLS ClientHello.</summary>
internal enum TlsClientHelloStatus : byte
{
    /// <summary>A consistent prefix of a ClientHello: wait for more bytes (bounded by the caller's timeout).</summary>
    NeedMoreData,

    /// <summary>The whole ClientHello is here and well formed; its facts are in <see cref="TlsClientHello"/>.</summary>
    Complete,

    /// <summary>The first bytes are not a TLS handshake record: some other protocol.</summary>
    NotTls,

    /// <summary>A TLS record whose ClientHello breaks the wire format (lengths that disagree, a bad record after the first).</summary>
    Malformed,

    /// <summary>The ClientHello would take more bytes than the configured maximum.</summary>
    TooLarge,
}
