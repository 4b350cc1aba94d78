namespace MeshEdge.Codecs.Rpc;

/// <summary>
/// Receives a frame's headers one by one as spans into the frame, in wire order. Implement it on a
/// struct (a ref struct is allowed) so that enumeration is specialised and allocates nothing.
/// </summary>
internal interface IRpcHeaderVisitor
{
    /// <summary>Returns false to stop the enumeration early.</summary>
    bool OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);
}
