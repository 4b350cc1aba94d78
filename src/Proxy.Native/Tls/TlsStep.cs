namespace MeshEdge.Native.Tls;

/// <summary>Where a call to <see cref="TlsTransport.Handshake"/> left the handshake.</summary>
internal enum TlsStep
{
    /// <summary>Waiting for more of the peer's messages.</summary>
    NeedMore,

    /// <summary>Complete: application data may flow.</summary>
    Done,

    /// <summary>Refused (counted); an alert may be waiting in <see cref="TlsTransport.CipherOut"/>.</summary>
    Failed,
}
