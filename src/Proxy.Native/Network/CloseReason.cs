namespace MeshEdge.Native.Network;

internal enum CloseReason
{
    /// <summary>This side decided to close.</summary>
    Local,

    /// <summary>The peer reset the connection or a socket error occurred.</summary>
    RemoteError,
}
