using System.Buffers;
using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Codecs.Tests.TestSupport;

namespace MeshEdge.Codecs.Tests.Bolt;

/// <summary>A session's input is a chain of blocks: a frame may be cut anywhere, in any number of pieces.</summary>
public class BoltSplitFrameTests
{
    private static readonly BoltCodec Codec = new();

    public static TheoryData<string> FrameNames => new()
    {
        nameof(BoltTestFrames.V1Request), nameof(BoltTestFrames.V1Response), nameof(BoltTestFrames.V1Heartbeat),
        nameof(BoltTestFrames.V2Oneway), nameof(BoltTestFrames.V2Response), nameof(BoltTestFrames.V2CrcHeartbeat),
        nameof(BoltTestFrames.V2CrcHeartbeatAck),
    };

    [Theory]
    [MemberData(nameof(FrameNames))]
    public void A_frame_cut_at_every_position_reads_the_same(string name)
    {
        var bytes = BoltFrameReaderTests.ByName(name);
        Codec.ReadFrame(new ReadOnlySequence<byte>(bytes), out var expected);

        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var result = Codec.ReadFrame(SegmentedSequence.Split(bytes, cut), out var frame);
            Assert.True(result.Status == RpcReadStatus.Complete, $"cut at {cut}: {result}");
            Assert.Equal(expected, frame);
        }
    }

    [Theory]
    [MemberData(nameof(FrameNames))]
    public void A_frame_in_one_byte_segments_reads_the_same(string name)
    {
        var bytes = BoltFrameReaderTests.ByName(name);
        Codec.ReadFrame(new ReadOnlySequence<byte>(bytes), out var expected);

        var result = Codec.ReadFrame(SegmentedSequence.ByteByByte(bytes), out var frame);

        Assert.Equal(RpcReadStatus.Complete, result.Status);
        Assert.Equal(expected, frame);
    }

    [Theory]
    [MemberData(nameof(FrameNames))]
    public void Every_proper_prefix_needs_more_data(string name)
    {
        var bytes = BoltFrameReaderTests.ByName(name);
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes.AsSpan(0, length);
            var contiguous = Codec.ReadFrame(new ReadOnlySequence<byte>(prefix.ToArray()), out _);
            var split = Codec.ReadFrame(SegmentedSequence.ByteByByte(prefix), out _);
            Assert.True(contiguous.Status == RpcReadStatus.NeedMoreData, $"prefix {length}: {contiguous}");
            Assert.Equal(contiguous, split);
        }
    }

    [Fact]
    public void A_header_map_split_across_segments_is_still_checked()
    {
        var bytes = BoltTestFrames.V1Request;
        for (var cut = 66; cut <= 66 + 46; cut++)
        {
            var result = Codec.ReadFrame(SegmentedSequence.Split(bytes, 30, cut), out _);
            Assert.Equal(RpcReadStatus.Complete, result.Status);
        }
    }
}
