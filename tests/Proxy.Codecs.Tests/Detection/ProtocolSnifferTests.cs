using System.Text;
using MeshEdge.Codecs.Detection;

namespace MeshEdge.Codecs.Tests.Detection;

public sealed class ProtocolSnifferTests
{
    /// <summary>A full opening of each protocol, as its real clients send it.</summary>
    public static TheoryData<string, byte[]> Openings => new()
    {
        { nameof(DetectedProtocol.Http1), Encoding.ASCII.GetBytes("GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n") },
        { nameof(DetectedProtocol.Http1), Encoding.ASCII.GetBytes("OPTIONS * HTTP/1.1\r\n") },
        { nameof(DetectedProtocol.Http2), Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\x12\x04") },
        // Bolt v1 request: proto 1, type 1 (request), cmdcode 0x0001.
        { nameof(DetectedProtocol.Bolt), [0x01, 0x01, 0x00, 0x01, 0x01, 0, 0, 0, 7] },
        // Bolt v2 heartbeat: proto 2, ver1 1, type 1, cmdcode 0x0000.
        { nameof(DetectedProtocol.Bolt), [0x02, 0x01, 0x01, 0x00, 0x00, 0x01] },
        // Dubbo request: magic 0xdabb, flag 0xc2.
        { nameof(DetectedProtocol.Dubbo), [0xda, 0xbb, 0xc2, 0x00] },
        // TLS 1.2 ClientHello record header.
        { nameof(DetectedProtocol.Tls), [0x16, 0x03, 0x01, 0x02, 0x00, 0x01] },
        { nameof(DetectedProtocol.Redis), Encoding.ASCII.GetBytes("*1\r\n$4\r\nPING\r\n") },
    };

    [Theory]
    [MemberData(nameof(Openings))]
    public void Each_protocol_is_recognised_and_no_prefix_is_taken_for_another(string expected, byte[] opening)
    {
        var protocol = Enum.Parse<DetectedProtocol>(expected);
        Assert.Equal(protocol, ProtocolSniffer.Sniff(opening));

        // Every shorter prefix says "wait" or already the right answer, never another protocol.
        for (var length = 0; length < opening.Length; length++)
        {
            var answer = ProtocolSniffer.Sniff(opening.AsSpan(0, length));
            Assert.True(answer == DetectedProtocol.NeedMoreData || answer == protocol, $"prefix of {length} bytes gave {answer}");
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01 })]
    [InlineData(new byte[] { 0x01, 0x09 })] // Bolt proto byte with an impossible type
    [InlineData(new byte[] { 0xda, 0xbc })] // almost Dubbo
    [InlineData(new byte[] { 0x16, 0x02, 0x00 })] // handshake byte, but no TLS version
    [InlineData(new byte[] { (byte)'*', (byte)'x' })]
    [InlineData(new byte[] { (byte)'G', (byte)'E', (byte)'T', (byte)'\t' })] // a CTL in the method
    [InlineData(new byte[] { (byte)' ', (byte)'/' })] // no method at all
    [InlineData(new byte[] { 0xff, 0xfe })]
    public void Other_bytes_are_unknown(byte[] prefix)
    {
        Assert.Equal(DetectedProtocol.Unknown, ProtocolSniffer.Sniff(prefix));
    }

    [Fact]
    public void A_method_token_that_never_ends_is_given_up_on()
    {
        Assert.Equal(DetectedProtocol.NeedMoreData, ProtocolSniffer.Sniff(Encoding.ASCII.GetBytes(new string('A', 24))));
        Assert.Equal(DetectedProtocol.Unknown, ProtocolSniffer.Sniff(Encoding.ASCII.GetBytes(new string('A', 25))));
    }

    [Fact]
    public void Http1_methods_that_start_like_the_http2_preface_are_still_http1()
    {
        Assert.Equal(DetectedProtocol.Http1, ProtocolSniffer.Sniff("POST /x HTTP/1.1\r\n"u8));
        Assert.Equal(DetectedProtocol.Http1, ProtocolSniffer.Sniff("PUT /x HTTP/1.1\r\n"u8));
        Assert.Equal(DetectedProtocol.NeedMoreData, ProtocolSniffer.Sniff("PRI * HTTP/2"u8));
    }
}
