using System.Buffers;

namespace MeshEdge.Fuzz;

/// <summary>The input as a two-block sequence cut at a chosen point, each block its own array, as pooled blocks would be.</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> input, int cut)
    {
        cut = Math.Clamp(cut, 0, input.Length);
        var first = new Segments(input[..cut].ToArray(), 0);
        var second = new Segments(input[cut..].ToArray(), cut);
        first.Next = second;
        return new ReadOnlySequence<byte>(first, 0, second, input.Length - cut);
    }
}
