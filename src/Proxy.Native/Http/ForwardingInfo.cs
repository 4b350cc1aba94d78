namespace MeshEdge.Native.Http;

/// <summary>What the request writer adds on the proxy's behalf.</summary>
internal readonly ref struct ForwardingInfo(bool addForwarded, ReadOnlySpan<byte> clientAddress, ReadOnlySpan<byte> requestId, bool secure)
{
    /// <summary>The client's connection was TLS, terminated here: x-forwarded-proto is https.</summary>
    public bool Secure { get; } = secure;

    public bool AddForwarded { get; } = addForwarded;

    public ReadOnlySpan<byte> ClientAddress { get; } = clientAddress;

    /// <summary>A generated id for a request that came without one; empty when none is to be added.</summary>
    public ReadOnlySpan<byte> RequestId { get; } = requestId;

    /// <summary>The downstream TLS peer (null on a plaintext connection), for x-forwarded-client-cert.</summary>
    public Tls.TlsPeerIdentity? Peer { get; init; }

    public Config.Model.ForwardClientCertDetails ClientCertMode { get; init; }
}
