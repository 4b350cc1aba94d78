using System.Buffers;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Codecs.Tests.TestSupport;

namespace MeshEdge.Codecs.Tests.Rpc;

public class RpcFrameBytesTests
{
    private static readonly byte[] Data = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    [Fact]
    public void Overwrites_across_every_segment_boundary()
    {
        for (var cut = 1; cut < Data.Length; cut++)
        {
            for (var offset = 0; offset <= Data.Length - 4; offset++)
            {
                var sequence = SegmentedSequence.Split(Data, cut);
                Assert.True(RpcFrameBytes.TryOverwrite(sequence, offset, [0xA0, 0xA1, 0xA2, 0xA3]));

                byte[] expected = [.. Data[..offset], 0xA0, 0xA1, 0xA2, 0xA3, .. Data[(offset + 4)..]];
                Assert.Equal(expected, sequence.ToArray());
            }
        }
    }

    [Fact]
    public void Refuses_to_write_outside_the_sequence()
    {
        var sequence = new ReadOnlySequence<byte>(Data.ToArray());
        Assert.False(RpcFrameBytes.TryOverwrite(sequence, 30, [1, 2, 3]));
        Assert.False(RpcFrameBytes.TryOverwrite(sequence, -1, [1]));
        Assert.Equal(Data, sequence.ToArray());
    }

    [Fact]
    public void Contiguous_ranges_copy_only_when_they_straddle_segments()
    {
        var sequence = SegmentedSequence.Split(Data, 8, 16, 24);
        Span<byte> scratch = stackalloc byte[32];
        for (var offset = 0; offset < Data.Length; offset++)
        {
            for (var length = 0; offset + length <= Data.Length; length++)
            {
                scratch.Clear();
                Assert.True(RpcFrameBytes.TryGetContiguous(sequence, offset, length, scratch, out var bytes));
                Assert.Equal(Data.AsSpan(offset, length), bytes);
                var straddles = length > 0 && (offset / 8) != ((offset + length - 1) / 8);
                Assert.Equal(straddles && length > 0, bytes.Overlaps(scratch));
            }
        }
    }
}
