namespace MeshEdge.Codecs.Rpc;

/// <summary>How much of a frame <see cref="IRpcCodec.ReadFrame(ReadOnlySpan{byte}, out RpcFrameInfo, RpcFrameCheck)"/> checks.</summary>
internal enum RpcFrameCheck : byte
{
    /// <summary>All of it: lengths, the header block's structure, the checksum.</summary>
    Whole,

    /// <summary>
    /// All but the header block of a request or oneway call, which the caller checks itself before it
    /// reads a header from it: with <see cref="IRpcCodec.ReadRouteNames"/>, whose walk for the names
    /// checks the block too, or by finding the block byte for byte equal to one checked before. A
    /// session routing every request that way walks each request's header block once, or not at all.
    /// </summary>
    AllButRequestHeaders,
}
