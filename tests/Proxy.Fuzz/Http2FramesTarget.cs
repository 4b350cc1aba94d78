using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Hpack;

namespace MeshEdge.Fuzz;

/// <summary>
/// The input as what a peer sends on a connection (optionally starting with the preface): every frame
/// read, field blocks joined and decoded, DATA and WINDOW_UPDATE applied to a window. Checks that
/// results are consistent, views stay inside the input, a cut frame waits, DATA rewritten reads back
/// the same, decoded fields respect the limits, and every pooled array comes back.
/// </summary>
internal static class Http2FramesTarget
{
    private static readonly HpackDecoderLimits Limits = new(MaxHeaderListSize: 16_384, MaxHeaderCount: 100, MaxTableSize: 4_096);

    public static void Run(ReadOnlySpan<byte> input)
    {
        var pool = new CountingPool();
        using (var decoder = new HpackDecoder(Limits, pool))
        using (var block = new Http2FieldBlockBuffer(pool, cap: 65_536))
        {
            ReadConnection(input, decoder, block);
        }

        Invariant.Holds(pool.Outstanding == 0, "every pooled array is returned");
    }

    private static void ReadConnection(ReadOnlySpan<byte> input, HpackDecoder decoder, Http2FieldBlockBuffer block)
    {
        var prefaced = input.StartsWith("PRI"u8);
        if (prefaced)
        {
            var preface = Http2Preface.Read(input);
            if (preface.Status != Http2ReadStatus.Complete)
            {
                return;
            }

            input = input[Http2Preface.Length..];
        }

        var reader = new Http2FrameReader(Http2Constants.DefaultMaxFrameSize, expectSettingsFirst: prefaced);
        var window = new Http2FlowWindow(Http2Constants.DefaultWindowSize);
        while (true)
        {
            var before = reader;
            var result = reader.Read(input, out var frame);
            switch (result.Status)
            {
                case Http2ReadStatus.NeedMoreData:
                    Invariant.Holds(result.FrameLength == 0 ? input.Length < 9 : result.FrameLength > input.Length, "NeedMoreData only when the frame is not all here");
                    return;
                case Http2ReadStatus.ConnectionError:
                    Invariant.Holds(result.Error.IsError && result.Error.IsConnectionError && result.Error.Code != Http2ErrorCode.NoError, "a connection error names a code");
                    return;
            }

            CheckWholeFrame(input, before, result, frame);
            if (!Apply(frame, decoder, block, ref window))
            {
                return;
            }

            input = input[result.FrameLength..];
        }
    }

    private static void CheckWholeFrame(ReadOnlySpan<byte> input, Http2FrameReader before, Http2ReadResult result, Http2Frame frame)
    {
        Invariant.Holds(result.FrameLength >= 9 && result.FrameLength <= input.Length, "a whole frame fits in the input");
        Invariant.Holds(frame.Header.FrameLength == result.FrameLength, "the result's length is the frame's");
        Invariant.Inside(input[..result.FrameLength], frame.Payload, "the payload");
        Invariant.Inside(frame.Payload, frame.Data, "the data");
        if (result.Status == Http2ReadStatus.StreamError)
        {
            Invariant.Holds(!result.Error.IsConnectionError && result.Error.StreamId == frame.StreamId && frame.StreamId != 0, "a stream error names the frame's stream");
        }

        var cut = before.Read(input[..(result.FrameLength - 1)], out _);
        Invariant.Holds(cut.Status == Http2ReadStatus.NeedMoreData, "a frame missing its last byte waits for it");

        if (frame.Type == Http2FrameType.Data && result.Status == Http2ReadStatus.Complete)
        {
            var pad = frame.Header.HasFlag(Http2FrameFlags.Padded) ? frame.Payload[0] : 0;
            var rewritten = new byte[result.FrameLength + 1];
            var length = Http2FrameWriter.WriteData(rewritten, frame.StreamId, frame.Data, frame.EndStream, pad);
            var again = new Http2FrameReader(Http2Constants.DefaultMaxFrameSize, expectSettingsFirst: false);
            var reread = again.Read(rewritten.AsSpan(0, length), out var copy);
            Invariant.Holds(reread.Status == Http2ReadStatus.Complete && copy.Data.SequenceEqual(frame.Data) && copy.EndStream == frame.EndStream, "DATA rewritten reads back the same");
        }
    }

    /// <summary>What a connection does with the frame; false when it would end the connection.</summary>
    private static bool Apply(Http2Frame frame, HpackDecoder decoder, Http2FieldBlockBuffer block, ref Http2FlowWindow window)
    {
        switch (frame.Type)
        {
            case Http2FrameType.Data:
                return !window.Consume(frame.FlowControlledLength, 0).IsError;
            case Http2FrameType.WindowUpdate when frame.StreamId == 0:
                return !window.Grow(frame.WindowIncrement, 0).IsError;
            case Http2FrameType.Headers or Http2FrameType.PushPromise or Http2FrameType.Continuation:
                if (!block.TryAppend(frame.Data))
                {
                    return false;
                }

                return !frame.EndHeaders || DecodeBlock(decoder, block);
            default:
                return true;
        }
    }

    private static bool DecodeBlock(HpackDecoder decoder, Http2FieldBlockBuffer block)
    {
        var handler = new LimitCheckingHandler(Limits, null);
        var result = decoder.Decode(block.Span, ref handler);
        block.Clear();
        Invariant.Holds(decoder.TableSize <= decoder.TableMaxSize && decoder.TableMaxSize <= Limits.MaxTableSize, "the table keeps to its size");
        Invariant.Holds((result.Status == HpackDecodeStatus.Complete) == (result.Error == HpackError.None), "complete exactly when there is no error");
        Invariant.Holds(result.Status != HpackDecodeStatus.Complete || (handler.Fields == result.HeaderCount && handler.Size == result.HeaderListSize), "a complete block delivered every field it counted");
        return result.Status != HpackDecodeStatus.CompressionError;
    }
}
