using System.Buffers;
using CsCheck;
using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Codecs.Tests.TestSupport;

namespace MeshEdge.Codecs.Tests.Bolt;

/// <summary>Random frames of every kind, version and shape: written, cut anywhere, read back the same.</summary>
public class BoltRoundTripPropertyTests
{
    private static readonly BoltCodec Codec = new();

    internal sealed record RandomFrame(
        BoltVersion Version,
        byte ProtocolVersion,
        bool Crc,
        RpcFrameKind Kind,
        uint Id,
        byte Serialization,
        int Timeout,
        BoltResponseStatus Status,
        byte[] ClassName,
        (byte[] Key, byte[] Value)[] Headers,
        byte[] Content,
        int[] Cuts)
    {
        public byte[] HeaderMap() => [.. Headers.SelectMany(h => Bytes.HeaderEntry(h.Key, h.Value))];

        public byte[] Encode()
        {
            var state = new BoltCodecState(Version, Version == BoltVersion.V2 ? ProtocolVersion : (byte)0, Crc ? (byte)1 : (byte)0, 1);
            var output = new ArrayBufferWriter<byte>();
            var (type, code) = Kind switch
            {
                RpcFrameKind.Request => (BoltCommandType.Request, BoltCommandCode.Request),
                RpcFrameKind.Oneway => (BoltCommandType.Oneway, BoltCommandCode.Request),
                RpcFrameKind.Response => (BoltCommandType.Response, BoltCommandCode.Response),
                RpcFrameKind.HeartbeatRequest => (BoltCommandType.Request, BoltCommandCode.Heartbeat),
                _ => (BoltCommandType.Response, BoltCommandCode.Heartbeat),
            };
            if (type == BoltCommandType.Response)
            {
                BoltFrameWriter.WriteResponse(output, state, code, Id, Serialization, Status, ClassName, HeaderMap(), Content);
            }
            else
            {
                BoltFrameWriter.WriteRequest(output, state, type, code, Id, Serialization, Timeout, ClassName, HeaderMap(), Content);
            }

            return output.WrittenSpan.ToArray();
        }
    }

    private static readonly Gen<byte[]> HeaderText = Gen.Byte[0x21, 0x7E].Array[0, 24];

    internal static readonly Gen<RandomFrame> Frames =
        from version in Gen.OneOf(BoltVersion.V1, BoltVersion.V2)
        from protocolVersion in Gen.Byte[1, 2]
        from crc in Gen.Bool
        from kind in Gen.Enum<RpcFrameKind>()
        from id in Gen.UInt
        from serialization in Gen.OneOf((byte)1, (byte)11)
        from timeout in Gen.Int[0, int.MaxValue]
        from status in Gen.Enum<BoltResponseStatus>()
        from className in Gen.Byte.Array[0, 60]
        from headers in Gen.Select(HeaderText, HeaderText).Array[0, 6]
        from content in Gen.Byte.Array[0, 300]
        from cuts in Gen.Int[1, 400].Array[0, 4]
        select new RandomFrame(version, protocolVersion, crc && version == BoltVersion.V2, kind, id, serialization, timeout, status, className, headers, content, cuts);

    private static ReadOnlySequence<byte> CutUp(byte[] bytes, int[] cuts) =>
        SegmentedSequence.Split(bytes, [.. cuts.Where(c => c < bytes.Length).Distinct().Order()]);

    [Fact]
    public void Random_frames_round_trip_whole_and_cut()
    {
        Frames.Sample(f =>
        {
            var bytes = f.Encode();
            foreach (var input in new[] { new ReadOnlySequence<byte>(bytes), CutUp(bytes, f.Cuts) })
            {
                var result = Codec.ReadFrame(input, out var frame);
                Assert.Equal(RpcReadStatus.Complete, result.Status);
                Assert.Equal(bytes.Length, frame.Length);
                Assert.Equal(f.Kind, frame.Kind);
                Assert.Equal(f.Id, frame.RequestId);
                Assert.Equal(f.Serialization, frame.Serialization);
                var isResponse = f.Kind is RpcFrameKind.Response or RpcFrameKind.HeartbeatResponse;
                Assert.Equal(isResponse ? (ushort)f.Status : 0, frame.Status);
                Assert.Equal(isResponse ? 0 : f.Timeout, frame.TimeoutMilliseconds);
                Assert.Equal(f.Content, bytes.AsSpan(frame.ContentOffset, frame.ContentLength).ToArray());

                var state = BoltCodecState.From(frame);
                Assert.Equal(f.Version, state.Version);
                Assert.Equal(f.Crc, state.HasCrc);

                var block = bytes.AsSpan(frame.HeaderOffset, frame.HeaderLength);
                foreach (var (key, _) in f.Headers)
                {
                    var first = f.Headers.First(h => h.Key.AsSpan().SequenceEqual(key)).Value;
                    Assert.True(Codec.TryGetHeader(block, key, out var value));
                    Assert.Equal(first, value.ToArray());
                }

                var counter = new CountingVisitor();
                Assert.True(Codec.VisitHeaders(block, ref counter));
                Assert.Equal(f.Headers.Length, counter.Count);
            }
        });
    }

    [Fact]
    public void Rewriting_the_id_changes_the_id_and_nothing_else()
    {
        Frames.Select(Gen.UInt).Sample((f, newId) =>
        {
            var bytes = f.Encode();
            var sequence = CutUp(bytes, f.Cuts);
            Codec.ReadFrame(sequence, out var before);

            Assert.True(Codec.TrySetRequestId(sequence, before, newId));

            var rewritten = sequence.ToArray();
            Assert.Equal(RpcReadStatus.Complete, Codec.ReadFrame(sequence, out var after).Status);
            Assert.Equal(before with { RequestId = newId }, after);
            var idAt = f.Version == BoltVersion.V1 ? 5 : 6;
            var end = f.Crc ? bytes.Length - 4 : bytes.Length;
            Assert.Equal(bytes[..idAt], rewritten[..idAt]);
            Assert.Equal(bytes[(idAt + 4)..end], rewritten[(idAt + 4)..end]);
        });
    }

    [Fact]
    public void Random_bytes_never_throw_and_never_claim_more_than_they_hold()
    {
        var small = new BoltCodec(maxFrameSize: 4096);
        Gen.Select(Gen.OneOf((byte)1, (byte)2), Gen.Byte.Array[0, 200], Gen.Int[1, 200]).Sample((first, rest, cut) =>
        {
            byte[] bytes = [first, .. rest];
            _ = small.Detect(bytes);
            var whole = small.ReadFrame(new ReadOnlySequence<byte>(bytes), out var frame);
            var split = small.ReadFrame(SegmentedSequence.Split(bytes, Math.Min(cut, bytes.Length)), out var splitFrame);
            Assert.Equal(whole, split);
            Assert.Equal(frame, splitFrame);
            if (whole.Status == RpcReadStatus.Complete)
            {
                Assert.InRange(frame.Length, 20, bytes.Length);
                Assert.InRange(frame.ContentOffset + frame.ContentLength, 0, frame.Length);
            }
        });
    }

    private ref struct CountingVisitor : IRpcHeaderVisitor
    {
        public int Count;

        public bool OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
            Count++;
            return true;
        }
    }
}
