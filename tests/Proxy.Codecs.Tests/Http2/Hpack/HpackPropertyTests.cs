using System.Buffers;
using System.Text;
using CsCheck;
using MeshEdge.Codecs.Http2.Hpack;

namespace MeshEdge.Codecs.Tests.Http2.Hpack;

/// <summary>Round trips through the encoder and decoder, the table against a plain list, and random blocks that must never throw.</summary>
public class HpackPropertyTests
{
    private static readonly string[] CommonNames = [":method", ":path", ":authority", "content-type", "user-agent", "cookie", "authorization", "x-request-id", "grpc-timeout"];

    private static readonly Gen<string> Names = Gen.OneOf(Gen.OneOf<string>(CommonNames), Gen.Char["abcdefghijklmnopqrstuvwxyz-_0123456789"].Array[1, 20].Select(c => new string(c)));

    private static readonly Gen<string> Values = Gen.OneOf(
        Gen.OneOf<string>("GET", "/", "application/grpc", "", "gzip, deflate"),
        Gen.Char[' ', '~'].Array[0, 60].Select(c => new string(c)),
        Gen.Char['\0', '\u00ff'].Array[0, 300].Select(c => new string(c)));

    private static readonly Gen<(string Name, string Value)[]> Blocks = Gen.Select(Names, Values).Array[0, 30];

    [Fact]
    public void The_huffman_table_is_a_complete_canonical_prefix_code()
    {
        var lengths = HpackHuffmanTable.Lengths.ToArray();
        var codes = HpackHuffmanTable.Codes.ToArray();
        Assert.Equal(257, lengths.Length);
        Assert.Equal(257, codes.Length);

        // Kraft's sum is exactly 1 (complete), and assigning codes in (length, symbol) order reproduces the table (canonical).
        var kraft = 0UL;
        foreach (var length in lengths)
        {
            kraft += 1UL << (30 - length);
        }

        Assert.Equal(1UL << 30, kraft);
        var order = Enumerable.Range(0, 257).OrderBy(s => lengths[s]).ThenBy(s => s).ToArray();
        var code = 0u;
        for (var i = 0; i < order.Length; i++)
        {
            if (i > 0)
            {
                code = (code + 1) << (lengths[order[i]] - lengths[order[i - 1]]);
            }

            Assert.Equal(codes[order[i]], code);
        }
    }

    [Fact]
    public void Huffman_round_trips_any_bytes()
    {
        Gen.Byte.Array[0, 500].Sample(bytes =>
        {
            var encoded = new byte[HpackHuffman.GetEncodedLength(bytes)];
            Assert.Equal(encoded.Length, HpackHuffman.Encode(bytes, encoded));
            var decoded = new byte[bytes.Length];
            Assert.Equal(HpackError.None, HpackHuffman.Decode(encoded, decoded, out var written));
            Assert.Equal(bytes, decoded[..written]);
            Assert.Equal(HpackError.None, HpackHuffman.Measure(encoded, out var measured));
            Assert.Equal(bytes.Length, measured);
            if (bytes.Length > 0)
            {
                Assert.Equal(HpackError.StringTooLong, HpackHuffman.Decode(encoded, decoded.AsSpan(0, bytes.Length - 1), out _));
            }
        });
    }

    [Fact]
    public void Integers_round_trip_with_every_prefix()
    {
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[1, 8], Gen.Byte).Sample((value, prefix, flags) =>
        {
            var buffer = new byte[HpackInteger.MaxLength];
            var high = (byte)(prefix == 8 ? 0 : flags & ~((1 << prefix) - 1));
            var written = HpackInteger.Encode(buffer, value, prefix, high);
            Assert.Equal(HpackInteger.GetLength(value, prefix), written);
            Assert.Equal(high, (byte)(buffer[0] & ~((1 << prefix) - 1)));
            var position = 0;
            Assert.Equal(HpackError.None, HpackInteger.TryDecode(buffer.AsSpan(0, written), ref position, prefix, out var decoded));
            Assert.Equal(value, decoded);
            Assert.Equal(written, position);
        });
    }

    [Fact]
    public void The_dynamic_table_behaves_as_a_list_evicted_from_its_end()
    {
        Gen.Select(Gen.Int[0, 600], Gen.Select(Gen.Int[0, 3], Gen.Int[0, 400], Gen.Int[0, 400], Gen.Int[0, 600]).Array[1, 200]).Sample((bound, steps) =>
        {
            using var table = new HpackDynamicTable(bound, ArrayPool<byte>.Shared);
            var model = new List<(byte[] Name, byte[] Value)>();
            var maxSize = Math.Min(bound, 4096);
            var serial = 0;
            foreach (var (kind, nameLength, valueLength, size) in steps)
            {
                if (kind == 0)
                {
                    maxSize = size % (bound + 1);
                    table.SetMaxSize(maxSize);
                }
                else if (kind == 1 && model.Count > 0)
                {
                    // A name taken from an entry, as a literal with an indexed name does.
                    table.Get((nameLength % model.Count) + 1, out var indexedName, out _);
                    var name = model[nameLength % model.Count].Name;
                    Assert.Equal(name, indexedName.ToArray());
                    var value = Filled(valueLength, ++serial);
                    table.Add(indexedName, value);
                    model.Insert(0, (name, value));
                }
                else
                {
                    var name = Filled(nameLength, ++serial);
                    var value = Filled(valueLength, ++serial);
                    table.Add(name, value);
                    model.Insert(0, (name, value));
                }

                while (model.Sum(e => e.Name.Length + e.Value.Length + 32) > maxSize)
                {
                    model.RemoveAt(model.Count - 1);
                }

                Assert.Equal(model.Count, table.Count);
                Assert.Equal(model.Sum(e => e.Name.Length + e.Value.Length + 32), table.Size);
                for (var i = 0; i < model.Count; i++)
                {
                    table.Get(i + 1, out var name, out var value);
                    Assert.Equal(model[i].Name, name.ToArray());
                    Assert.Equal(model[i].Value, value.ToArray());
                }
            }
        }, iter: 300);
    }

    [Fact]
    public void Encoded_blocks_decode_to_the_same_fields_and_both_tables_agree()
    {
        Gen.Select(Blocks.Array[1, 6], Gen.Int[0, 8192].Array[6], Gen.Int[0, 8192]).Sample((blocks, peerSizes, bound) =>
        {
            using var encoder = new HpackEncoder(bound);
            using var decoder = new HpackDecoder(new HpackDecoderLimits(1 << 20, 1_000, 8192));
            var output = new byte[64 * 1024];
            for (var b = 0; b < blocks.Length; b++)
            {
                encoder.SetPeerTableSize((uint)peerSizes[b]);
                Assert.True(encoder.TryBeginBlock(output, out var at));
                foreach (var (name, value) in blocks[b])
                {
                    Assert.True(encoder.TryEncode(Encoding.Latin1.GetBytes(name), Encoding.Latin1.GetBytes(value), output.AsSpan(at), out var written));
                    at += written;
                }

                var (result, fields) = CollectingHandler.Decode(decoder, output[..at]);
                Assert.Equal(HpackDecodeStatus.Complete, result.Status);
                Assert.Equal(blocks[b].Select(f => $"{f.Name}: {f.Value}{(f.Name.EndsWith("authorization", StringComparison.Ordinal) ? " !" : "")}"), fields);
                Assert.Equal(encoder.TableSize, decoder.TableSize);
                Assert.Equal(CollectingHandler.Entries(encoder.TableForTest), CollectingHandler.Entries(decoder.TableForTest));
            }
        }, iter: 300);
    }

    [Fact]
    public void A_destination_too_small_fails_without_touching_the_table()
    {
        using var encoder = new HpackEncoder();
        var small = new byte[5];
        Assert.False(encoder.TryEncode("x-long-name"u8, "value"u8, small, out _));
        Assert.Equal(0, encoder.TableCount);
        Assert.True(encoder.TryEncode("x-long-name"u8, "value"u8, new byte[64], out _));
        Assert.Equal(1, encoder.TableCount);
    }

    [Fact]
    public void Random_and_mutated_blocks_never_throw()
    {
        var seeds = new[]
        {
            Convert.FromHexString("828684418cf1e3c2e5f23a6ba0ab90f4ff"),
            Convert.FromHexString("88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007"),
            Convert.FromHexString("3fe11f400a637573746f6d2d6b65790d637573746f6d2d686561646572be"),
        };
        var mutated = Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1000], Gen.Byte).Array[1, 6]).Select((seed, edits) =>
        {
            var bytes = seeds[seed].ToList();
            foreach (var (kind, at, value) in edits)
            {
                var index = at % Math.Max(bytes.Count, 1);
                switch (kind)
                {
                    case 0 when bytes.Count > 0: bytes[index] = value; break;
                    case 1: bytes.Insert(Math.Min(index, bytes.Count), value); break;
                    default: if (bytes.Count > 0) { bytes.RemoveAt(index); } break;
                }
            }

            return bytes.ToArray();
        });

        Gen.OneOf(mutated, Gen.Byte.Array[0, 100]).Sample(block =>
        {
            using var decoder = new HpackDecoder(new HpackDecoderLimits(512, 20, 256));
            var (first, _) = CollectingHandler.Decode(decoder, block);
            var (second, _) = CollectingHandler.Decode(decoder, block);
            Assert.True(first.HeaderCount >= 0 && second.HeaderCount >= 0);
            Assert.InRange(decoder.TableSize, 0, decoder.TableMaxSize);
        }, iter: 20_000);
    }

    private static byte[] Filled(int length, int serial) => [.. Enumerable.Range(0, length).Select(i => (byte)(serial + i))];
}
