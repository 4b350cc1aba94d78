using MeshEdge.Codecs.Http2.Hpack;

namespace MeshEdge.Fuzz;

/// <summary>
/// Input: one byte choosing the limits and a table size change, then field blocks each prefixed by a
/// length byte, decoded in turn by one decoder (so the dynamic table carries over). Each complete
/// block's fields are encoded again and decoded by a second pair, which must give the same fields
/// (the differential check); limits hold; the table keeps to its size; every pooled array comes back.
/// </summary>
internal static class HpackTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var config = input[0];
        var limits = new HpackDecoderLimits(MaxHeaderListSize: 256 << (config & 0x7), MaxHeaderCount: 1 + (config >> 3 & 0x3) * 40, MaxTableSize: 4_096);
        var pool = new CountingPool();
        using (var decoder = new HpackDecoder(limits, pool))
        using (var encoder = new HpackEncoder(2_048, pool))
        using (var echo = new HpackDecoder(new HpackDecoderLimits(1 << 20, 10_000, 4_096), pool))
        {
            if ((config & 0x80) != 0)
            {
                decoder.SetAllowedTableSize(config & 0x60);
            }

            DecodeBlocks(input[1..], limits, decoder, encoder, echo);
        }

        Invariant.Holds(pool.Outstanding == 0, "every pooled array is returned");
    }

    private static void DecodeBlocks(ReadOnlySpan<byte> rest, HpackDecoderLimits limits, HpackDecoder decoder, HpackEncoder encoder, HpackDecoder echo)
    {
        var fields = new List<(byte[] Name, byte[] Value, bool NeverIndexed)>();
        var output = new byte[1 << 21];
        while (!rest.IsEmpty)
        {
            var length = Math.Min(rest[0], rest.Length - 1);
            var block = rest.Slice(1, length);
            rest = rest[(1 + length)..];

            fields.Clear();
            var handler = new LimitCheckingHandler(limits, fields);
            var result = decoder.Decode(block, ref handler);
            Invariant.Holds(decoder.TableSize <= decoder.TableMaxSize, "the table keeps to its size");
            Invariant.Holds((result.Status == HpackDecodeStatus.Complete) == (result.Error == HpackError.None), "complete exactly when there is no error");
            if (result.Status == HpackDecodeStatus.CompressionError)
            {
                return;
            }

            if (result.Status == HpackDecodeStatus.Complete)
            {
                Invariant.Holds(handler.Fields == result.HeaderCount, "a complete block delivered every field it counted");
                EncodeAndCompare(fields, encoder, echo, output);
            }
        }
    }

    private static void EncodeAndCompare(List<(byte[] Name, byte[] Value, bool NeverIndexed)> fields, HpackEncoder encoder, HpackDecoder echo, byte[] output)
    {
        Invariant.Holds(encoder.TryBeginBlock(output, out var at), "a size update fits");
        foreach (var (name, value, neverIndexed) in fields)
        {
            Invariant.Holds(encoder.TryEncode(name, value, output.AsSpan(at), out var written, neverIndexed), "the field fits the output");
            at += written;
        }

        var decoded = new List<(byte[] Name, byte[] Value, bool NeverIndexed)>();
        var handler = new LimitCheckingHandler(new HpackDecoderLimits(1 << 20, 10_000, 4_096), decoded);
        var result = echo.Decode(output.AsSpan(0, at), ref handler);
        Invariant.Holds(result.Status == HpackDecodeStatus.Complete, "what the encoder wrote decodes");
        Invariant.Holds(decoded.Count == fields.Count, "as many fields come back as went in");
        for (var i = 0; i < fields.Count; i++)
        {
            Invariant.Holds(decoded[i].Name.AsSpan().SequenceEqual(fields[i].Name) && decoded[i].Value.AsSpan().SequenceEqual(fields[i].Value), "each field comes back the same");
            Invariant.Holds(!fields[i].NeverIndexed || decoded[i].NeverIndexed, "never-indexed stays never-indexed");
        }

        Invariant.Holds(encoder.TableSize == echo.TableSize, "the encoder's table and its peer's agree");
    }
}
