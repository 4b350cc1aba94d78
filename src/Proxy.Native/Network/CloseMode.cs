namespace MeshEdge.Native.Network;

internal enum CloseMode
{
    /// <summary>Send what is queued, then close.</summary>
    FlushWrite,

    /// <summary>Close now and drop what is queued.</summary>
    Abort,
}
