using System.Buffers;
using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Codecs.Tests.TestSupport;
using static MeshEdge.Codecs.Tests.Bolt.BoltTestFrames;
using static MeshEdge.Codecs.Tests.TestSupport.Bytes;

namespace MeshEdge.Codecs.Tests.Bolt;

/// <summary>Bytes that can never become a frame: each is rejected with its reason, whole or split, never thrown.</summary>
public class BoltMalformedFrameTests
{
    private static readonly BoltCodec Codec = new();

    private static byte[] With(byte[] frame, params (int Offset, byte Value)[] patches)
    {
        var copy = frame.ToArray();
        foreach (var (offset, value) in patches)
        {
            copy[offset] = value;
        }

        return copy;
    }

    /// <summary>A v1 request whose header map is the given bytes (headerLen set to match), no class, no content.</summary>
    private static byte[] V1RequestWithHeaderMap(byte[] headerMap) =>
    [
        0x01, 0x01, 0x00, 0x01, 0x01,   // proto v1, request, cmdcode request, ver2
        0x00, 0x00, 0x00, 0x01,         // requestId 1
        0x01, 0x00, 0x00, 0x0B, 0xB8,   // hessian2, timeout 3000
        0x00, 0x00,                     // classLen 0
        (byte)(headerMap.Length >> 8), (byte)headerMap.Length, // headerLen
        0x00, 0x00, 0x00, 0x00,         // contentLen 0
        .. headerMap,
    ];

    public static TheoryData<string, byte[], int> Corpus => new()
    {
        { "proto 0x03", With(V1Request, (0, 0x03)), (int)RpcMalformedReason.UnknownProtocol },
        { "proto 0x00", [0x00], (int)RpcMalformedReason.UnknownProtocol },
        { "proto 0xFF (HTTP/TLS/anything)", [.. "GET / HTTP/1.1\r\n"u8], (int)RpcMalformedReason.UnknownProtocol },
        { "dubbo magic", [0xDA, 0xBB, 0xC2, 0x00], (int)RpcMalformedReason.UnknownProtocol },
        { "v1 type 3", With(V1Request, (1, 0x03)), (int)RpcMalformedReason.UnknownFrameType },
        { "v2 type 0xFF", With(V2Request, (2, 0xFF)), (int)RpcMalformedReason.UnknownFrameType },
        { "v1 cmdcode 3", With(V1Request, (3, 0x03)), (int)RpcMalformedReason.UnknownFrameType },
        { "v1 cmdcode 0x0101", With(V1Request, (2, 0x01)), (int)RpcMalformedReason.UnknownFrameType },
        { "v2 cmdcode 0xFFFF", With(V2Response, (3, 0xFF), (4, 0xFF)), (int)RpcMalformedReason.UnknownFrameType },
        { "oneway heartbeat", With(V1Heartbeat, (1, 0x02)), (int)RpcMalformedReason.UnknownFrameType },
        { "request type with response cmdcode", With(V1Request, (3, 0x02)), (int)RpcMalformedReason.UnknownFrameType },
        { "response type with request cmdcode", With(V2Response, (4, 0x01)), (int)RpcMalformedReason.UnknownFrameType },
        { "v1 contentLen 0xFFFFFFFF", With(V1Request, (18, 0xFF), (19, 0xFF), (20, 0xFF), (21, 0xFF)), (int)RpcMalformedReason.FrameTooLarge },
        { "v2 response contentLen 2^31", With(V2Response, (18, 0x80)), (int)RpcMalformedReason.FrameTooLarge },
        { "v1 contentLen 16 MiB + 3", With(V1Request, (18, 0x01)), (int)RpcMalformedReason.FrameTooLarge },
        { "key length overruns the map", V1RequestWithHeaderMap([0x00, 0x00, 0x00, 0x10, .. "service"u8]), (int)RpcMalformedReason.HeaderOverrun },
        { "value length overruns the map", V1RequestWithHeaderMap([.. HeaderEntry("service", "abc")[..^1]]), (int)RpcMalformedReason.HeaderOverrun },
        { "value length missing", V1RequestWithHeaderMap([0x00, 0x00, 0x00, 0x01, (byte)'k', 0x00, 0x00]), (int)RpcMalformedReason.HeaderOverrun },
        { "trailing bytes after the last entry", V1RequestWithHeaderMap([.. HeaderEntry("a", "b"), 0x00, 0x00, 0x00]), (int)RpcMalformedReason.HeaderOverrun },
        { "entry length 2^31-1", V1RequestWithHeaderMap([0x7F, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00]), (int)RpcMalformedReason.HeaderOverrun },
        { "CRC flipped", With(V2CrcHeartbeat, (27, 0xC4)), (int)RpcMalformedReason.ChecksumMismatch },
        { "CRC'd byte changed", With(V2CrcHeartbeat, (9, 0x08)), (int)RpcMalformedReason.ChecksumMismatch },
        { "CRC switch set on a frame without one", With(V2Heartbeat, (11, 0x01)), (int)RpcMalformedReason.ChecksumMismatch },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Is_rejected_with_its_reason(string what, byte[] bytes, int reason)
    {
        // "CRC switch set on a frame without one" needs 4 more bytes to be judged: give it zeros.
        byte[] input = what.StartsWith("CRC switch", StringComparison.Ordinal) ? [.. bytes, 0, 0, 0, 0] : bytes;

        var whole = Codec.ReadFrame(new ReadOnlySequence<byte>(input), out var frame);
        var split = Codec.ReadFrame(SegmentedSequence.ByteByByte(input), out _);

        Assert.Equal(RpcReadStatus.Malformed, whole.Status);
        Assert.Equal((RpcMalformedReason)reason, whole.Reason);
        Assert.Equal(whole, split);
        Assert.Equal(default, frame);
    }

    [Fact]
    public void A_frame_over_the_configured_maximum_is_rejected_as_soon_as_its_header_is_in()
    {
        var small = new BoltCodec(maxFrameSize: V1Request.Length - 1);
        var result = small.ReadFrame(new ReadOnlySequence<byte>(V1Request, 0, 22), out _);
        Assert.Equal(RpcMalformedReason.FrameTooLarge, result.Reason);

        var exact = new BoltCodec(maxFrameSize: V1Request.Length);
        Assert.Equal(RpcReadStatus.Complete, exact.ReadFrame(new ReadOnlySequence<byte>(V1Request), out _).Status);
    }

    [Fact]
    public void A_default_codec_uses_the_default_maximum()
    {
        Assert.Equal(BoltConstants.DefaultMaxFrameSize, default(BoltCodec).MaxFrameSize);
        Assert.Equal(RpcReadStatus.Complete, default(BoltCodec).ReadFrame(new ReadOnlySequence<byte>(V1Request), out _).Status);
    }

    [Fact]
    public void Unknown_protocol_is_known_from_the_first_byte()
    {
        var result = Codec.ReadFrame(new ReadOnlySequence<byte>([0x16]), out _);
        Assert.Equal(RpcMalformedReason.UnknownProtocol, result.Reason);
    }

    [Fact]
    public void Null_lengths_in_the_header_map_are_accepted()
    {
        // SimpleMapSerializer writes -1 for a null string; sofa-bolt-node does so for a null value.
        byte[] map = [0x00, 0x00, 0x00, 0x01, (byte)'k', 0xFF, 0xFF, 0xFF, 0xFF];
        var result = Codec.ReadFrame(new ReadOnlySequence<byte>(V1RequestWithHeaderMap(map)), out _);
        Assert.Equal(RpcReadStatus.Complete, result.Status);
    }

    [Fact]
    public void Results_print_their_reason()
    {
        Assert.Equal("Malformed(HeaderOverrun)", RpcReadResult.Malformed(RpcMalformedReason.HeaderOverrun).ToString());
        Assert.Equal("NeedMoreData(0)", RpcReadResult.NeedMoreData().ToString());
        Assert.Equal("Complete(22)", RpcReadResult.Complete(22).ToString());
    }
}
