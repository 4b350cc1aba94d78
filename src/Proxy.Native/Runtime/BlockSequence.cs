using System.Buffers;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// A chain's bytes as a <see cref="ReadOnlySequence{T}"/> (a segment per block), without copying, for
/// codecs that read frames split across blocks. The sequence is valid until the chain changes.
/// </summary>
internal static class BlockSequence
{
    public static ReadOnlySequence<byte> Of(BlockChain chain)
    {
        var head = chain.Head;
        if (head is null || chain.IsEmpty)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        if (head.Next is null)
        {
            var only = head.Segment;
            only.Set(head.Start, head.End, 0);
            return new ReadOnlySequence<byte>(only, 0, only, head.Length);
        }

        var first = head.Segment;
        first.Set(head.Start, head.End, 0);
        var last = first;
        var lastLength = head.Length;
        long index = head.Length;
        for (var block = head.Next; block is not null; block = block.Next)
        {
            var segment = block.Segment;
            segment.Set(block.Start, block.End, index);
            last.Link(segment);
            last = segment;
            lastLength = block.Length;
            index += block.Length;
        }

        return new ReadOnlySequence<byte>(first, 0, last, lastLength);
    }
}
