using System.Buffers;

namespace MeshEdge.Codecs.Tests.Http1.TestSupport;

/// <summary>Builds a sequence over data[start..end) with a segment boundary at each given cut.</summary>
internal static class SegmentedSequence
{
    public static ReadOnlySequence<byte> Create(byte[] data, params int[] cuts) => Create(data, 0, data.Length, cuts);

    public static ReadOnlySequence<byte> Create(byte[] data, int start, int end, IReadOnlyList<int> cuts)
    {
        // Each segment gets its own array, as separate pool blocks would, so no parser can read past a boundary.
        var edges = cuts.Where(c => c > start && c < end).Distinct().Order().Append(end).ToList();
        TestSegment? first = null;
        TestSegment? last = null;
        var from = start;
        foreach (var edge in edges)
        {
            var piece = data.AsSpan(from, edge - from).ToArray();
            last = last is null ? first = new TestSegment(piece, 0) : last.Append(piece);
            from = edge;
        }

        return first is null || last is null
            ? ReadOnlySequence<byte>.Empty
            : new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    public static int[] EveryByte(int length) => Enumerable.Range(1, Math.Max(0, length - 1)).ToArray();
}
