using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Codecs.Http2.Hpack;
using MeshEdge.Codecs.Tests.Http2.Connection.TestSupport;

namespace MeshEdge.Codecs.Tests.Http2.Connection;

/// <summary>
/// RFC 9113 §8.1-8.3 (malformed requests: RST_STREAM PROTOCOL_ERROR, the connection goes on) and
/// RFC 7541 decoding errors (COMPRESSION_ERROR for the connection) as they surface at the connection.
/// </summary>
public class Http2ConnectionFieldTests
{
    public static TheoryData<string, (string, string)[]> MalformedRequests => new()
    {
        { "uppercase name", [.. H2.Get(), ("User-Agent", "x")] },
        { "connection", [.. H2.Get(), ("connection", "keep-alive")] },
        { "keep-alive", [.. H2.Get(), ("keep-alive", "5")] },
        { "proxy-connection", [.. H2.Get(), ("proxy-connection", "close")] },
        { "transfer-encoding", [.. H2.Get(), ("transfer-encoding", "chunked")] },
        { "upgrade", [.. H2.Get(), ("upgrade", "websocket")] },
        { "te other than trailers", [.. H2.Get(), ("te", "gzip")] },
        { "no :method", [(":scheme", "http"), (":authority", "a"), (":path", "/")] },
        { "no :scheme", [(":method", "GET"), (":authority", "a"), (":path", "/")] },
        { "no :path", [(":method", "GET"), (":scheme", "http"), (":authority", "a")] },
        { "empty :path", [(":method", "GET"), (":scheme", "http"), (":authority", "a"), (":path", "")] },
        { "unknown pseudo", [.. H2.Get(), (":foo", "bar")] },
        { "response pseudo in a request", [.. H2.Get(), (":status", "200")] },
        { "pseudo after a regular field", [(":method", "GET"), ("x", "y"), (":scheme", "http"), (":path", "/")] },
        { "duplicate :path", [.. H2.Get(), (":path", "/again")] },
        { "CONNECT without :authority", [(":method", "CONNECT")] },
        { "CONNECT with :path", [(":method", "CONNECT"), (":authority", "a:443"), (":path", "/")] },
        { "space in a name", [.. H2.Get(), ("x y", "1")] },
        { "colon inside a name", [.. H2.Get(), ("x:y", "1")] },
        { "CR in a value", [.. H2.Get(), ("x", "a\rb")] },
        { "NUL in a value", [.. H2.Get(), ("x", "a\0b")] },
        { "leading space in a value", [.. H2.Get(), ("x", " a")] },
        { "content-length not a number", [.. H2.Get(), ("content-length", "1x")] },
        { "content-length with END_STREAM and no data", [.. H2.Get(), ("content-length", "3")] },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public void A_malformed_request_is_reset_with_protocol_error(string rule, (string, string)[] fields)
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Headers(1, H2.Block(fields)));

        Assert.True(string.Join(", ", peer.TakeFrameNames()) == "RST_STREAM 1 ProtocolError", rule);
        Assert.DoesNotContain(peer.Events, e => e.StartsWith("headers"));
        Assert.Equal(1, peer.Connection.Counters.MalformedHeaders);
        Assert.Equal(0, peer.Connection.ActiveStreams);
        peer.Feed(H2.Request(3));
        Assert.StartsWith("headers 3", peer.Events[^1]);
    }

    [Fact]
    public void Te_trailers_and_connect_with_authority_are_accepted()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Headers(1, H2.Block([.. H2.Get(), ("te", "trailers")])), H2.Headers(3, H2.Block((":method", "CONNECT"), (":authority", "a:443")), endStream: false));

        Assert.Equal(2, peer.Events.Count);
        Assert.Empty(peer.TakeFrames());
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(2, true)]
    public void Data_that_differs_from_content_length_is_reset(int sent, bool endStream)
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Headers(1, H2.Block(H2.Post("/", 3)), endStream: false), H2.Data(1, new string('x', sent), endStream));

        Assert.Equal(["RST_STREAM 1 ProtocolError"], peer.TakeFrameNames());
    }

    [Fact]
    public void Trailers_before_the_announced_length_arrived_are_reset()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Headers(1, H2.Block(H2.Post("/", 3)), endStream: false), H2.Data(1, "ab"), H2.Headers(1, H2.Block(("t", "1"))));

        Assert.Equal(["RST_STREAM 1 ProtocolError"], peer.TakeFrameNames());
    }

    [Fact]
    public void Pseudo_headers_in_trailers_are_reset()
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Request(1, endStream: false), H2.Headers(1, H2.Block((":path", "/"))));

        Assert.Equal(["RST_STREAM 1 ProtocolError"], peer.TakeFrameNames());
    }

    public static TheoryData<string, byte[]> BadBlocks => new()
    {
        { "index 0", [0x80] },
        { "index past both tables", [0xFF, 0x20] },
        { "truncated literal", [0x00, 0x05, (byte)'a'] },
        { "integer overflow", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F] },
        { "table size update above SETTINGS_HEADER_TABLE_SIZE", [0x3F, 0xE2, 0x1F] },
        { "table size update after a field", [0x82, 0x20] },
        { "Huffman string with EOS", [0x00, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, (byte)'v'] },
    };

    [Theory]
    [MemberData(nameof(BadBlocks))]
    public void A_field_block_hpack_cannot_decode_is_a_compression_error(string rule, byte[] block)
    {
        using var peer = Http2Peer.Server();

        peer.Feed(H2.Headers(1, block));

        Assert.True(string.Join(", ", peer.TakeFrameNames()) == "GOAWAY 1 CompressionError", rule);
        Assert.Equal(1, peer.Connection.Counters.CompressionErrors);
    }

    [Fact]
    public void A_bad_block_on_a_refused_stream_is_still_a_compression_error()
    {
        using var peer = Http2Peer.Server(new() { MaxConcurrentStreams = 1 });

        peer.Feed(H2.Request(1, endStream: false), H2.Headers(3, [0x80]));

        Assert.Equal(["GOAWAY 3 CompressionError"], peer.TakeFrameNames());
    }

    [Fact]
    public void An_hpack_bomb_is_refused_at_the_header_list_size_and_the_table_stays_in_step()
    {
        using var peer = Http2Peer.Server(new() { HeaderLimits = new HpackDecoderLimits(MaxHeaderListSize: 8_192, MaxHeaderCount: 100, MaxTableSize: 4_096) });

        // One 4000-byte entry added, then referenced by one byte (index 62) many times.
        byte[] add = [0x40, 1, (byte)'x', 0x7F, .. H2Int(4000 - 127), .. new byte[4000].Select(_ => (byte)'a')];
        byte[] bomb = [.. H2.Block(H2.Get()), .. add, .. Enumerable.Repeat((byte)0xBE, 100)];
        peer.Feed(H2.Headers(1, bomb));

        Assert.Equal(["RST_STREAM 1 ProtocolError"], peer.TakeFrameNames());
        Assert.Equal(1, peer.Connection.Counters.HeaderListTooLarge);

        // The entry is in the table: stream 3 can use it.
        peer.Feed(H2.Headers(3, [.. H2.Block(H2.Get()), 0xBE]));
        Assert.Contains("x=aaaa", peer.Events[^1]);
    }

    [Fact]
    public void Too_many_fields_are_refused()
    {
        using var peer = Http2Peer.Server(new() { HeaderLimits = HpackDecoderLimits.Default with { MaxHeaderCount = 10 } });

        peer.Feed(H2.Headers(1, H2.Block([.. H2.Get(), .. Enumerable.Range(0, 7).Select(i => ($"x{i}", "v"))])));

        Assert.Equal(["RST_STREAM 1 ProtocolError"], peer.TakeFrameNames());
        Assert.Equal(1, peer.Connection.Counters.HeaderListTooLarge);
    }

    [Fact]
    public void A_lower_header_table_size_is_advertised()
    {
        using var peer = new Http2Peer(Http2ConnectionRole.Server, new() { HeaderLimits = HpackDecoderLimits.Default with { MaxTableSize = 256 } });
        var settings = peer.TakeFrames()[0];

        var values = new Dictionary<Http2SettingId, uint>();
        foreach (var setting in new Http2SettingsReader(settings.Payload))
        {
            values[setting.Id] = setting.Value;
        }

        Assert.Equal(256u, values[Http2SettingId.HeaderTableSize]);
    }

    private static byte[] H2Int(int rest)
    {
        var bytes = new List<byte>();
        while (rest >= 128)
        {
            bytes.Add((byte)((rest & 0x7F) | 0x80));
            rest >>= 7;
        }

        bytes.Add((byte)rest);
        return [.. bytes];
    }
}
