namespace MeshEdge.Codecs.Http2.Hpack;

/// <summary>
/// Receives each decoded field in order. The spans point into the block, the dynamic table, the
/// static table or the decoder's scratch, and live only for the call: copy what must outlive it.
/// Implement it as a struct so the decoder's generic call is specialised and inlined.
/// </summary>
internal interface IHpackHeaderHandler
{
    /// <param name="neverIndexed">
    /// The field came as "never indexed" (§6.2.3): an intermediary must re-encode it the same way, so
    /// that a secret stays out of every compression context downstream.
    /// </param>
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed);
}
