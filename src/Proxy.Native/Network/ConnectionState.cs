namespace MeshEdge.Native.Network;

internal enum ConnectionState
{
    Connecting,
    Open,

    /// <summary>Flushing queued output before the close completes.</summary>
    Closing,
    Closed,
}
