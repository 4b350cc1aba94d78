using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Hpack;

namespace MeshEdge.Codecs.Tests.Http2;

/// <summary>
/// Reading frames and decoding and encoding field blocks allocate nothing once warm: the guard here,
/// with every result checked inside the loop so that a codec that gave up early cannot pass.
/// </summary>
public class Http2AllocationTests
{
    /// <summary>RFC 7541 C.4.1 then C.4.2 (Huffman, one dynamic entry added then referenced) as two HEADERS frames, a DATA, a WINDOW_UPDATE, SETTINGS and PING.</summary>
    private static readonly byte[] Connection = Build();

    private static byte[] Build()
    {
        var buffer = new byte[1024];
        var at = Http2FrameWriter.WriteSettings(buffer, [new(Http2SettingId.MaxConcurrentStreams, 100), new(Http2SettingId.InitialWindowSize, 1 << 20)]);
        at += Http2FrameWriter.WriteHeaders(buffer.AsSpan(at), 1, Convert.FromHexString("828684418cf1e3c2e5f23a6ba0ab90f4ff"), endStream: false, endHeaders: true);
        at += Http2FrameWriter.WriteData(buffer.AsSpan(at), 1, "hello"u8, endStream: true, padding: 3);
        at += Http2FrameWriter.WriteHeaders(buffer.AsSpan(at), 3, Convert.FromHexString("828684be5886a8eb10649cbf"), endStream: true, endHeaders: false);
        at += Http2FrameWriter.WriteContinuation(buffer.AsSpan(at), 3, [], endHeaders: true);
        at += Http2FrameWriter.WriteWindowUpdate(buffer.AsSpan(at), 0, 1 << 16);
        at += Http2FrameWriter.WritePing(buffer.AsSpan(at), 42, ack: false);
        return buffer[..at];
    }

    [Fact]
    public void Reading_frames_and_decoding_their_field_blocks_allocates_nothing()
    {
        using var decoder = new HpackDecoder(HpackDecoderLimits.Default);
        Assert.Equal(Expected, ReadConnection(decoder));

        var wrong = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            wrong += ReadConnection(decoder) == Expected ? 0 : 1;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, wrong);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Encoding_field_blocks_and_writing_frames_allocates_nothing()
    {
        using var encoder = new HpackEncoder();
        var output = new byte[512];
        var frame = new byte[600];
        var first = Encode(encoder, output);
        Assert.True(first > 0);

        var wrong = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            var length = Encode(encoder, output);
            var written = Http2FrameWriter.WriteHeaders(frame, 1, output.AsSpan(0, length), endStream: true, endHeaders: true);
            wrong += length > 0 && length < first && written == length + 9 ? 0 : 1;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, wrong);
        Assert.Equal(0, allocated);
    }

    /// <summary>Frames read, fields delivered (all matching), data bytes: compared as one value so the loop allocates nothing.</summary>
    private static readonly (int Frames, int Fields, int WrongFields, int Data, int HpackErrors) Expected = (7, 9, 0, 5, 0);

    private static (int Frames, int Fields, int WrongFields, int Data, int HpackErrors) ReadConnection(HpackDecoder decoder)
    {
        decoder.TableForTest.Clear();
        var reader = new Http2FrameReader(Http2Constants.DefaultMaxFrameSize, expectSettingsFirst: true);
        var input = Connection.AsSpan();
        var checker = new CheckingHandler();
        var (frames, data, errors) = (0, 0, 0);
        while (!input.IsEmpty)
        {
            var result = reader.Read(input, out var frame);
            if (result.Status != Http2ReadStatus.Complete)
            {
                return default;
            }

            frames++;
            data += frame.Type == Http2FrameType.Data ? frame.Data.Length : 0;
            if (frame.Type == Http2FrameType.Headers)
            {
                errors += decoder.Decode(frame.Data, ref checker).Status == HpackDecodeStatus.Complete ? 0 : 1;
            }

            input = input[result.FrameLength..];
        }

        return (frames, checker.Fields, checker.Wrong, data, errors);
    }

    private static int Encode(HpackEncoder encoder, Span<byte> output)
    {
        var ok = encoder.TryBeginBlock(output, out var at);
        ok &= encoder.TryEncode(":method"u8, "POST"u8, output[at..], out var written);
        at += written;
        ok &= encoder.TryEncode(":path"u8, "/pkg.Service/Method"u8, output[at..], out written);
        at += written;
        ok &= encoder.TryEncode("content-type"u8, "application/grpc"u8, output[at..], out written);
        at += written;
        ok &= encoder.TryEncode("authorization"u8, "Bearer abc"u8, output[at..], out written);
        at += written;
        return ok ? at : -1;
    }

    private struct CheckingHandler : IHpackHeaderHandler
    {
        public int Fields;
        public int Wrong;

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed)
        {
            var ok = Fields switch
            {
                0 or 4 => name.SequenceEqual(":method"u8) && value.SequenceEqual("GET"u8),
                1 or 5 => name.SequenceEqual(":scheme"u8) && value.SequenceEqual("http"u8),
                2 or 6 => name.SequenceEqual(":path"u8) && value.SequenceEqual("/"u8),
                3 or 7 => name.SequenceEqual(":authority"u8) && value.SequenceEqual("www.example.com"u8),
                8 => name.SequenceEqual("cache-control"u8) && value.SequenceEqual("no-cache"u8),
                _ => false,
            };
            Wrong += ok ? 0 : 1;
            Fields++;
        }
    }
}
