namespace MeshEdge.Native.Tls;

/// <summary>
/// What libssl's client callbacks (<see cref="TlsClientCallbacks"/>) reach through an SSL object's
/// app data: the target whose names the server must carry and which keeps resumable sessions, and
/// where to note a name mismatch. A worker connection's <see cref="TlsTransport"/> and a health
/// check's <see cref="TlsProbeStream"/> are the two.
/// </summary>
internal interface ITlsClientPeer
{
    TlsClientTarget? Client { get; }

    bool ServerNameMismatch { get; set; }
}
