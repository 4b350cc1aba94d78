using System.Buffers;
using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Codecs.Tests.TestSupport;
using static MeshEdge.Codecs.Tests.TestSupport.Bytes;

namespace MeshEdge.Codecs.Tests.Bolt;

/// <summary>
/// <see cref="RpcFrameCheck.AllButRequestHeaders"/>: the reader leaves a request's header map to the
/// router's walk for the names, and only a request's; whatever it leaves, that walk finds.
/// </summary>
public class BoltFrameCheckTests
{
    private static readonly BoltCodec Codec = new();

    /// <summary>The key says 16 bytes, the map holds 7: an overrun.</summary>
    private static readonly byte[] OverrunMap = [0x00, 0x00, 0x00, 0x10, .. "service"u8];

    /// <summary>A v1 frame of the given type and command code whose header map is the given bytes, no class, no content.</summary>
    private static byte[] V1FrameWithHeaderMap(byte type, byte commandCode, byte[] headerMap)
    {
        var isResponse = type == 0;
        byte[] fixedPart = isResponse
            ? [0x01, type, 0x00, commandCode, 0x01, 0x00, 0x00, 0x00, 0x07, 0x01, 0x00, 0x00]
            : [0x01, type, 0x00, commandCode, 0x01, 0x00, 0x00, 0x00, 0x07, 0x01, 0x00, 0x00, 0x0B, 0xB8];
        return [.. fixedPart, 0x00, 0x00, (byte)(headerMap.Length >> 8), (byte)headerMap.Length, 0x00, 0x00, 0x00, 0x00, .. headerMap];
    }

    public static TheoryData<string, byte[]> Requests => new()
    {
        { "request", V1FrameWithHeaderMap(type: 1, commandCode: 1, OverrunMap) },
        { "oneway", V1FrameWithHeaderMap(type: 2, commandCode: 1, OverrunMap) },
    };

    public static TheoryData<string, byte[]> Others => new()
    {
        { "response", V1FrameWithHeaderMap(type: 0, commandCode: 2, OverrunMap) },
        { "heartbeat", V1FrameWithHeaderMap(type: 1, commandCode: 0, OverrunMap) },
        { "heartbeat ack", V1FrameWithHeaderMap(type: 0, commandCode: 0, OverrunMap) },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void A_requests_header_map_is_left_to_the_walk_for_the_names(string name, byte[] frame)
    {
        Assert.Equal(RpcMalformedReason.HeaderOverrun, Codec.ReadFrame(frame, out _).Reason);

        foreach (var input in Inputs(frame))
        {
            var result = Codec.ReadFrame(input, out var info, RpcFrameCheck.AllButRequestHeaders);
            Assert.True(result.Status == RpcReadStatus.Complete, $"{name}: {result}");
            Assert.Equal(frame.Length, info.Length);
            Assert.Equal(7ul, info.RequestId);
        }

        Codec.ReadFrame(frame, out var left, RpcFrameCheck.AllButRequestHeaders);
        Assert.Equal(RpcRouteNames.Malformed, Codec.ReadRouteNames(frame.AsSpan(left.HeaderOffset, left.HeaderLength), out _, out _));
    }

    [Theory]
    [MemberData(nameof(Others))]
    public void Every_other_frames_header_map_is_still_checked(string name, byte[] frame)
    {
        foreach (var input in Inputs(frame))
        {
            var result = Codec.ReadFrame(input, out _, RpcFrameCheck.AllButRequestHeaders);
            Assert.True(result.Reason == RpcMalformedReason.HeaderOverrun, $"{name}: {result}");
        }
    }

    [Fact]
    public void A_sound_request_reads_the_same_either_way()
    {
        var frame = V1FrameWithHeaderMap(type: 1, commandCode: 1, [.. HeaderEntry("service", "a.A:1.0"), .. HeaderEntry("k", "v")]);

        Assert.Equal(RpcReadStatus.Complete, Codec.ReadFrame(frame, out var whole).Status);
        Assert.Equal(RpcReadStatus.Complete, Codec.ReadFrame(frame, out var left, RpcFrameCheck.AllButRequestHeaders).Status);
        Assert.Equal(whole.ToString(), left.ToString());
        Assert.Equal((whole.HeaderOffset, whole.HeaderLength, whole.ContentOffset), (left.HeaderOffset, left.HeaderLength, left.ContentOffset));
        Assert.Equal(RpcRouteNames.Found, Codec.ReadRouteNames(frame.AsSpan(left.HeaderOffset, left.HeaderLength), out var service, out _));
        Assert.Equal("a.A:1.0"u8, service);
    }

    /// <summary>The frame in one piece, then split at every byte: the span reader and the sequence reader.</summary>
    private static IEnumerable<ReadOnlySequence<byte>> Inputs(byte[] frame)
    {
        yield return new ReadOnlySequence<byte>(frame);
        for (var cut = 1; cut < frame.Length; cut++)
        {
            yield return SegmentedSequence.Split(frame, cut);
        }
    }
}
