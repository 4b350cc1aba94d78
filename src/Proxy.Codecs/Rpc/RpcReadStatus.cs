namespace MeshEdge.Codecs.Rpc;

/// <summary>The outcome of looking for one whole frame at the start of the input.</summary>
internal enum RpcReadStatus : byte
{
    /// <summary>A whole, valid frame starts the input; <see cref="RpcFrameInfo"/> describes it.</summary>
    Complete,

    /// <summary>The input holds a frame's beginning only; read more and try again.</summary>
    NeedMoreData,

    /// <summary>The input can never become a valid frame; the connection must be closed.</summary>
    Malformed,
}
