using System.Buffers;
using CsCheck;
using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Codecs.Tests.TestSupport;

namespace MeshEdge.Codecs.Tests.Bolt;

/// <summary>
/// Sessions read a frame that lies in one block as a span, and fall back to the sequence reader
/// when it is cut: both readers, and both id rewriters, must agree on every input.
/// </summary>
public class BoltSpanPathPropertyTests
{
    private static readonly BoltCodec Codec = new();

    [Fact]
    public void Random_frames_read_as_a_span_read_as_when_cut_up()
    {
        BoltRoundTripPropertyTests.Frames.Sample(f =>
        {
            var bytes = f.Encode();
            var fromSpan = Codec.ReadFrame(bytes.AsSpan(), out var spanFrame);
            var fromSequence = Codec.ReadFrame(SegmentedSequence.ByteByByte(bytes), out var sequenceFrame);

            Assert.Equal(RpcReadStatus.Complete, fromSpan.Status);
            Assert.Equal(fromSequence, fromSpan);
            Assert.Equal(sequenceFrame, spanFrame);
        });
    }

    [Fact]
    public void Every_prefix_and_every_longer_input_reads_the_same_both_ways()
    {
        Gen.Select(BoltRoundTripPropertyTests.Frames, Gen.Int[0, 1000], Gen.Byte.Array[0, 40]).Sample((f, cut, after) =>
        {
            byte[] bytes = [.. f.Encode(), .. after];
            var input = bytes.AsSpan(0, Math.Min(cut, bytes.Length));

            var fromSpan = Codec.ReadFrame(input, out var spanFrame);
            var fromSequence = Codec.ReadFrame(SegmentedSequence.ByteByByte(input), out var sequenceFrame);

            Assert.Equal(fromSequence, fromSpan);
            Assert.Equal(sequenceFrame, spanFrame);
        });
    }

    [Fact]
    public void Random_bytes_read_the_same_both_ways()
    {
        var small = new BoltCodec(maxFrameSize: 4096);
        Gen.Select(Gen.OneOf((byte)1, (byte)2), Gen.Byte.Array[0, 200]).Sample((first, rest) =>
        {
            byte[] bytes = [first, .. rest];

            var fromSpan = small.ReadFrame(bytes.AsSpan(), out var spanFrame);
            var fromSequence = small.ReadFrame(SegmentedSequence.ByteByByte(bytes), out var sequenceFrame);

            Assert.Equal(fromSequence, fromSpan);
            Assert.Equal(sequenceFrame, spanFrame);
        });
    }

    [Fact]
    public void Rewriting_the_id_in_a_span_writes_the_same_bytes_as_in_a_cut_sequence()
    {
        BoltRoundTripPropertyTests.Frames.Select(Gen.UInt).Sample((f, newId) =>
        {
            var inSpan = f.Encode();
            var inPieces = f.Encode();
            Codec.ReadFrame(inSpan.AsSpan(), out var frame);
            var pieces = SegmentedSequence.ByteByByte(inPieces);

            Assert.True(Codec.TrySetRequestId(inSpan.AsSpan(), frame, newId));
            Assert.True(Codec.TrySetRequestId(pieces, frame, newId));

            Assert.Equal(pieces.ToArray(), inSpan);
            Assert.Equal(RpcReadStatus.Complete, Codec.ReadFrame(inSpan.AsSpan(), out var after).Status);
            Assert.Equal(frame with { RequestId = newId }, after);
        });
    }

    [Fact]
    public void A_span_shorter_than_the_frame_or_an_id_too_large_is_refused()
    {
        var bytes = BoltTestFrames.V1Request.ToArray();
        Codec.ReadFrame(bytes.AsSpan(), out var frame);

        Assert.False(Codec.TrySetRequestId(bytes.AsSpan(0, bytes.Length - 1), frame, 7));
        Assert.False(Codec.TrySetRequestId(bytes.AsSpan(), frame, (ulong)uint.MaxValue + 1));
        Assert.Equal(BoltTestFrames.V1Request, bytes);
    }
}
