using MeshEdge.Codecs.Bolt;
using MeshEdge.Codecs.Rpc;

namespace MeshEdge.Codecs.Tests.Bolt;

public class BoltDetectorTests
{
    private static readonly BoltCodec Codec = new();

    public static TheoryData<string> ValidFrames => new()
    {
        nameof(BoltTestFrames.V1Request), nameof(BoltTestFrames.V1Oneway), nameof(BoltTestFrames.V1Response),
        nameof(BoltTestFrames.V1Heartbeat), nameof(BoltTestFrames.V1HeartbeatAck), nameof(BoltTestFrames.V2Request),
        nameof(BoltTestFrames.V2Response), nameof(BoltTestFrames.V2CrcHeartbeat), nameof(BoltTestFrames.V2CrcHeartbeatAck),
    };

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void Every_valid_frame_matches_once_its_command_code_is_in(string name)
    {
        var bytes = BoltFrameReaderTests.ByName(name);
        var decisive = bytes[0] == 0x01 ? 4 : 5;
        for (var length = 0; length < decisive; length++)
        {
            Assert.Equal(RpcDetection.NeedMoreData, Codec.Detect(bytes.AsSpan(0, length)));
        }

        for (var length = decisive; length <= bytes.Length; length++)
        {
            Assert.Equal(RpcDetection.Match, Codec.Detect(bytes.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x16, 0x03, 0x01 }, "TLS handshake")]
    [InlineData(new byte[] { 0xDA, 0xBB }, "Dubbo magic")]
    [InlineData(new byte[] { 0x50, 0x52, 0x49, 0x20 }, "HTTP/2 preface PRI ")]
    [InlineData(new byte[] { 0x47, 0x45, 0x54, 0x20 }, "HTTP/1 GET ")]
    [InlineData(new byte[] { 0x2A, 0x31 }, "Redis array")]
    [InlineData(new byte[] { 0x00 }, "zero")]
    [InlineData(new byte[] { 0x01, 0x03 }, "v1, type 3")]
    [InlineData(new byte[] { 0x01, 0x01, 0x01 }, "v1, cmdcode high byte set")]
    [InlineData(new byte[] { 0x01, 0x01, 0x00, 0x03 }, "v1, cmdcode 3")]
    [InlineData(new byte[] { 0x02, 0x01, 0x05 }, "v2, type 5")]
    [InlineData(new byte[] { 0x02, 0x01, 0x01, 0x00, 0x09 }, "v2, cmdcode 9")]
    public void Other_protocols_and_impossible_headers_do_not_match(byte[] prefix, string what)
    {
        Assert.True(Codec.Detect(prefix) == RpcDetection.NoMatch, what);
    }

    [Fact]
    public void Names_itself()
    {
        Assert.Equal("bolt", Codec.Name);
        Assert.Equal(uint.MaxValue, Codec.MaxRequestId);
    }
}
