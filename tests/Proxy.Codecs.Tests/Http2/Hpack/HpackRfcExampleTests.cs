using MeshEdge.Codecs.Http2.Hpack;
using MeshEdge.Codecs.Tests.TestSupport;

namespace MeshEdge.Codecs.Tests.Http2.Hpack;

/// <summary>
/// RFC 7541 Appendix C, byte for byte: each block decodes to the listed fields and leaves the listed
/// table; with Huffman (C.4, C.6) the encoder, making the same choices, writes the same bytes.
/// </summary>
public class HpackRfcExampleTests
{
    private static readonly string[] Request1 = [":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com"];
    private static readonly string[] Request2 = [":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com", "cache-control: no-cache"];
    private static readonly string[] Request3 = [":method: GET", ":scheme: https", ":path: /index.html", ":authority: www.example.com", "custom-key: custom-value"];
    private static readonly string[] Response1 = [":status: 302", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT", "location: https://www.example.com"];
    private static readonly string[] Response2 = [":status: 307", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT", "location: https://www.example.com"];
    private static readonly string[] Response3 =
    [
        ":status: 200", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:22 GMT", "location: https://www.example.com",
        "content-encoding: gzip", "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
    ];

    private static readonly (string Hex, string[] Fields, int Size, string[] Table)[] Requests =
    [
        ("828684410f7777772e6578616d706c652e636f6d", Request1, 57, [":authority: www.example.com"]),
        ("828684be58086e6f2d6361636865", Request2, 110, ["cache-control: no-cache", ":authority: www.example.com"]),
        ("828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565", Request3, 164,
            ["custom-key: custom-value", "cache-control: no-cache", ":authority: www.example.com"]),
    ];

    private static readonly (string Hex, string[] Fields, int Size, string[] Table)[] HuffmanRequests =
    [
        ("828684418cf1e3c2e5f23a6ba0ab90f4ff", Request1, 57, Requests[0].Table),
        ("828684be5886a8eb10649cbf", Request2, 110, Requests[1].Table),
        ("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf", Request3, 164, Requests[2].Table),
    ];

    private static readonly string[] Table1 = [.. Response1.Reverse().Select(f => f)];
    private static readonly string[] Table2 = [":status: 307", "location: https://www.example.com", "date: Mon, 21 Oct 2013 20:13:21 GMT", "cache-control: private"];
    private static readonly string[] Table3 =
        ["set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1", "content-encoding: gzip", "date: Mon, 21 Oct 2013 20:13:22 GMT"];

    private static readonly (string Hex, string[] Fields, int Size, string[] Table)[] Responses =
    [
        ("4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d",
            Response1, 222, Table1),
        ("4803333037c1c0bf", Response2, 222, Table2),
        ("88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a69707738666f6f3d4153444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d6167653d333630303b2076657273696f6e3d31",
            Response3, 215, Table3),
    ];

    private static readonly (string Hex, string[] Fields, int Size, string[] Table)[] HuffmanResponses =
    [
        ("488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3", Response1, 222, Table1),
        ("4883640effc1c0bf", Response2, 222, Table2),
        ("88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007",
            Response3, 215, Table3),
    ];

    [Theory]
    [InlineData("400a637573746f6d2d6b65790d637573746f6d2d686561646572", "custom-key: custom-header", 55)]
    [InlineData("040c2f73616d706c652f70617468", ":path: /sample/path", 0)]
    [InlineData("100870617373776f726406736563726574", "password: secret !", 0)]
    [InlineData("82", ":method: GET", 0)]
    public void C2_single_fields(string hex, string field, int tableSize)
    {
        using var decoder = new HpackDecoder(HpackDecoderLimits.Default);
        var (result, fields) = CollectingHandler.Decode(decoder, Bytes.FromHex(hex));

        Assert.Equal(HpackDecodeStatus.Complete, result.Status);
        Assert.Equal([field], fields);
        Assert.Equal(tableSize, decoder.TableSize);
    }

    [Fact]
    public void C3_requests_without_huffman() => DecodeInSequence(Requests, tableSize: 4096);

    [Fact]
    public void C4_requests_with_huffman() => DecodeInSequence(HuffmanRequests, tableSize: 4096);

    [Fact]
    public void C5_responses_without_huffman_evicting() => DecodeInSequence(Responses, tableSize: 256);

    [Fact]
    public void C6_responses_with_huffman_evicting() => DecodeInSequence(HuffmanResponses, tableSize: 256);

    [Fact]
    public void C4_the_encoder_writes_the_same_bytes() => EncodeInSequence(HuffmanRequests, tableSize: 4096);

    [Fact]
    public void C6_the_encoder_writes_the_same_bytes() => EncodeInSequence(HuffmanResponses, tableSize: 256);

    [Fact]
    public void Huffman_of_the_rfc_strings()
    {
        var output = new byte[64];
        var length = HpackHuffman.Encode("www.example.com"u8, output);
        Assert.Equal("f1e3c2e5f23a6ba0ab90f4ff", Bytes.ToHex(output.AsSpan(0, length)));
        Assert.Equal(length, HpackHuffman.GetEncodedLength("www.example.com"u8));

        Assert.Equal(HpackError.None, HpackHuffman.Decode(Bytes.FromHex("a8eb10649cbf"), output, out var written));
        Assert.Equal("no-cache"u8.ToArray(), output[..written]);
    }

    private static void DecodeInSequence((string Hex, string[] Fields, int Size, string[] Table)[] blocks, int tableSize)
    {
        using var decoder = new HpackDecoder(HpackDecoderLimits.Default with { MaxTableSize = tableSize });
        foreach (var (hex, expected, size, table) in blocks)
        {
            var (result, fields) = CollectingHandler.Decode(decoder, Bytes.FromHex(hex));

            Assert.Equal(HpackDecodeStatus.Complete, result.Status);
            Assert.Equal(expected, fields);
            Assert.Equal(size, decoder.TableSize);
            Assert.Equal(table, CollectingHandler.Entries(decoder.TableForTest));
        }
    }

    private static void EncodeInSequence((string Hex, string[] Fields, int Size, string[] Table)[] blocks, int tableSize)
    {
        using var encoder = new HpackEncoder(tableSize, initialTableSize: tableSize);
        foreach (var (hex, fields, size, _) in blocks)
        {
            var output = new byte[512];
            Assert.True(encoder.TryBeginBlock(output, out var at));
            foreach (var field in fields)
            {
                var colon = field.IndexOf(": ", 1, StringComparison.Ordinal);
                var name = System.Text.Encoding.Latin1.GetBytes(field[..colon]);
                var value = System.Text.Encoding.Latin1.GetBytes(field[(colon + 2)..]);
                Assert.True(encoder.TryEncode(name, value, output.AsSpan(at), out var written));
                at += written;
            }

            Assert.Equal(hex, Bytes.ToHex(output.AsSpan(0, at)));
            Assert.Equal(size, encoder.TableSize);
        }
    }
}
