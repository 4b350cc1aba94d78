using System.Buffers;

namespace MeshEdge.Codecs.Tests.TestSupport;

/// <summary>
/// Builds multi-segment sequences the way a session's block chain presents its input: each segment
/// its own array, so a frame straddling a boundary is exercised exactly (and writes through the
/// sequence land in the arrays, which the request-id tests read back).
/// </summary>
internal static class SegmentedSequence
{
    /// <summary>Cuts <paramref name="data"/> at the given ascending offsets; the segments are copies.</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> data, params int[] cuts)
    {
        var arrays = new List<byte[]>();
        var start = 0;
        foreach (var cut in cuts.Append(data.Length))
        {
            arrays.Add(data[start..cut].ToArray());
            start = cut;
        }

        return FromArrays(arrays);
    }

    public static ReadOnlySequence<byte> FromArrays(IReadOnlyList<byte[]> arrays)
    {
        var first = new Segment(arrays[0], 0);
        var last = first;
        for (var i = 1; i < arrays.Count; i++)
        {
            last = last.Append(arrays[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>One segment per byte: the most hostile layout.</summary>
    public static ReadOnlySequence<byte> ByteByByte(ReadOnlySpan<byte> data) =>
        Split(data, Enumerable.Range(1, Math.Max(0, data.Length - 1)).ToArray());

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
