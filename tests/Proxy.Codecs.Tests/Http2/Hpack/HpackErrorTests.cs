using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Hpack;
using MeshEdge.Codecs.Tests.TestSupport;

namespace MeshEdge.Codecs.Tests.Http2.Hpack;

/// <summary>Malformed blocks are COMPRESSION_ERRORs; passed limits refuse the stream but keep the table in step.</summary>
public class HpackErrorTests
{
    [Theory]
    [InlineData("80", nameof(HpackError.IndexZero))]
    [InlineData("be", nameof(HpackError.IndexOutOfRange))]
    [InlineData("7f00", nameof(HpackError.IndexOutOfRange))]
    [InlineData("ff", nameof(HpackError.Truncated))]
    [InlineData("ff80", nameof(HpackError.Truncated))]
    [InlineData("ffffffffff0f", nameof(HpackError.IntegerOverflow))]
    [InlineData("ff8080808080808000", nameof(HpackError.IntegerOverflow))]
    [InlineData("4005616263", nameof(HpackError.Truncated))]
    [InlineData("40", nameof(HpackError.Truncated))]
    [InlineData("400161", nameof(HpackError.Truncated))]
    [InlineData("0003616263", nameof(HpackError.Truncated))]
    [InlineData("0081ff0161", nameof(HpackError.HuffmanPadding))]
    [InlineData("008100", nameof(HpackError.HuffmanPadding))]
    [InlineData("008207ff0161", nameof(HpackError.HuffmanPadding))]
    [InlineData("0084ffffffff0161", nameof(HpackError.HuffmanEndOfString))]
    [InlineData("00811f0161", nameof(HpackError.None))]
    [InlineData("3fe21f", nameof(HpackError.TableSizeUpdateTooLarge))]
    [InlineData("3fe11f", nameof(HpackError.None))]
    [InlineData("8220", nameof(HpackError.TableSizeUpdateNotAtStart))]
    [InlineData("203fe11e82", nameof(HpackError.None))]
    public void Malformed_blocks_are_compression_errors(string hex, string error)
    {
        var expected = Enum.Parse<HpackError>(error);
        using var decoder = new HpackDecoder(HpackDecoderLimits.Default);
        var (result, _) = CollectingHandler.Decode(decoder, Bytes.FromHex(hex));

        Assert.Equal(expected, result.Error);
        Assert.Equal(expected == HpackError.None ? HpackDecodeStatus.Complete : HpackDecodeStatus.CompressionError, result.Status);
        if (expected != HpackError.None)
        {
            Assert.Equal(Http2Error.Connection(Http2ErrorCode.CompressionError, Http2ErrorReason.FieldBlockMalformed), result.ToHttp2Error(1));
        }
    }

    [Fact]
    public void After_lowering_the_table_size_the_next_block_must_start_with_an_update()
    {
        using var decoder = new HpackDecoder(HpackDecoderLimits.Default);
        Assert.Equal(HpackDecodeStatus.Complete, CollectingHandler.Decode(decoder, Bytes.FromHex("40016101624001630164")).Result.Status);
        Assert.Equal(68, decoder.TableSize);

        decoder.SetAllowedTableSize(100);
        Assert.Equal(HpackError.TableSizeUpdateMissing, CollectingHandler.Decode(decoder, Bytes.FromHex("82")).Result.Error);

        using var second = new HpackDecoder(HpackDecoderLimits.Default);
        second.SetAllowedTableSize(100);
        Assert.Equal(HpackError.TableSizeUpdateTooLarge, CollectingHandler.Decode(second, Bytes.FromHex("3f4682")).Result.Error);

        using var third = new HpackDecoder(HpackDecoderLimits.Default);
        CollectingHandler.Decode(third, Bytes.FromHex("4001610162"));
        third.SetAllowedTableSize(100);
        var (result, fields) = CollectingHandler.Decode(third, Bytes.FromHex("3f4582"));
        Assert.Equal(HpackDecodeStatus.Complete, result.Status);
        Assert.Equal([":method: GET"], fields);
        Assert.Equal(100, third.TableMaxSize);
        Assert.Equal(HpackDecodeStatus.Complete, CollectingHandler.Decode(third, Bytes.FromHex("82")).Result.Status);
    }

    [Fact]
    public void A_bomb_of_references_to_a_big_entry_stops_at_the_list_limit_and_keeps_the_table()
    {
        var limits = new HpackDecoderLimits(MaxHeaderListSize: 16_384, MaxHeaderCount: 1_000, MaxTableSize: 4_096);
        using var decoder = new HpackDecoder(limits);
        var bigValue = new string('x', 4_000);
        byte[] insert = [.. Bytes.FromHex("400162" + "7fa11e"), .. System.Text.Encoding.ASCII.GetBytes(bigValue)];
        Assert.Equal(HpackDecodeStatus.Complete, CollectingHandler.Decode(decoder, insert).Result.Status);
        Assert.Equal(1, decoder.TableCount);

        // 1,000 one-byte references to it would decode to about 4 MB.
        var bomb = Enumerable.Repeat((byte)0xbe, 1_000).Append((byte)0x82).ToArray();
        var (result, fields) = CollectingHandler.Decode(decoder, bomb);

        Assert.Equal(HpackDecodeStatus.LimitExceeded, result.Status);
        Assert.Equal(HpackError.HeaderListTooLarge, result.Error);
        Assert.Equal(4, fields.Count);
        Assert.Equal(1_001, result.HeaderCount);
        Assert.Equal(Http2ErrorCode.ProtocolError, result.ToHttp2Error(5).Code);
        Assert.False(result.ToHttp2Error(5).IsConnectionError);

        var (next, nextFields) = CollectingHandler.Decode(decoder, Bytes.FromHex("be"));
        Assert.Equal(HpackDecodeStatus.Complete, next.Status);
        Assert.Equal("b: " + bigValue, nextFields.Single());
    }

    [Fact]
    public void Fields_past_the_count_limit_are_not_delivered_but_still_indexed()
    {
        using var decoder = new HpackDecoder(HpackDecoderLimits.Default with { MaxHeaderCount = 2 });
        var (result, fields) = CollectingHandler.Decode(decoder, Bytes.FromHex("8286400161016284"));

        Assert.Equal(HpackDecodeStatus.LimitExceeded, result.Status);
        Assert.Equal(HpackError.TooManyHeaders, result.Error);
        Assert.Equal([":method: GET", ":scheme: http"], fields);
        Assert.Equal(1, decoder.TableCount);
        Assert.Equal(["a: b"], CollectingHandler.Decode(decoder, Bytes.FromHex("be")).Fields);
    }

    [Fact]
    public void A_huffman_string_longer_than_the_scratch_is_checked_and_empties_the_table_it_would_not_fit()
    {
        using var decoder = new HpackDecoder(new HpackDecoderLimits(MaxHeaderListSize: 64, MaxHeaderCount: 100, MaxTableSize: 64));
        CollectingHandler.Decode(decoder, Bytes.FromHex("4001610162"));
        Assert.Equal(1, decoder.TableCount);

        // 'a' is 00011 in 5 bits: 100 bytes of 0x18 0xc6 0x31 0x8c 0x63 decode to 160 'a's.
        var huffman = Enumerable.Repeat(new byte[] { 0x18, 0xc6, 0x31, 0x8c, 0x63 }, 20).SelectMany(b => b).ToArray();
        byte[] block = [.. Bytes.FromHex("400178e4"), .. huffman];
        var (result, fields) = CollectingHandler.Decode(decoder, block);

        Assert.Equal(HpackDecodeStatus.LimitExceeded, result.Status);
        Assert.Empty(fields);
        Assert.Equal(0, decoder.TableCount);

        block.AsSpan(block.Length - 4).Fill(0xff);
        Assert.Equal(HpackDecodeStatus.CompressionError, CollectingHandler.Decode(decoder, block).Result.Status);
    }
}
