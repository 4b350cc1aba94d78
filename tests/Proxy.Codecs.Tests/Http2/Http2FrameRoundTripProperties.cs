using CsCheck;
using MeshEdge.Codecs.Http2;

namespace MeshEdge.Codecs.Tests.Http2;

/// <summary>Every frame the writer makes reads back the same, and every cut short of its end waits for more.</summary>
public class Http2FrameRoundTripProperties
{
    private static readonly Gen<uint> StreamIds = Gen.UInt[1, Http2Constants.StreamIdMask];
    private static readonly Gen<byte[]> Content = Gen.Byte.Array[0, 300];

    internal static readonly Gen<byte[]> Frames = Gen.OneOf(
        Gen.Select(StreamIds, Content, Gen.Bool, Gen.Int[0, 255]).Select((id, data, end, pad) => Write(s => Http2FrameWriter.WriteData(s, id, data, end, pad))),
        Gen.Select(StreamIds, Content, Gen.Bool, Gen.Bool, Gen.Int[0, 255]).Select((id, data, end, endHeaders, pad) =>
            Write(s => Http2FrameWriter.WriteHeaders(s, id, data, end, endHeaders, null, pad))),
        Gen.Select(StreamIds, Gen.UInt[0, 1000], Gen.Bool, Gen.Byte, Content).Select((id, dep, exclusive, weight, data) =>
            Write(s => Http2FrameWriter.WriteHeaders(s, id, data, false, true, new Http2Priority(dep == id ? dep + 1 : dep, exclusive, weight)))),
        Gen.Select(StreamIds, Gen.UInt[0, 1000], Gen.Byte).Select((id, dep, weight) =>
            Write(s => Http2FrameWriter.WritePriority(s, id, new Http2Priority(dep == id ? dep + 1 : dep, false, weight)))),
        Gen.Select(StreamIds, Gen.UInt[0, 13]).Select((id, code) => Write(s => Http2FrameWriter.WriteRstStream(s, id, (Http2ErrorCode)code))),
        Gen.Select(Gen.OneOf(Gen.Const((ushort)1), Gen.Const((ushort)3), Gen.Const((ushort)6), Gen.UShort[9, 100]), Gen.UInt).Array[0, 8].Select(entries =>
            Write(s => Http2FrameWriter.WriteSettings(s, [.. entries.Select(e => new Http2Setting((Http2SettingId)e.Item1, e.Item2))]))),
        Gen.Const(0).Select(_ => Write(s => Http2FrameWriter.WriteSettingsAck(s))),
        Gen.Select(StreamIds, StreamIds, Content, Gen.Int[0, 40]).Select((id, promised, data, pad) =>
            Write(s => Http2FrameWriter.WritePushPromise(s, id, promised, data, true, pad))),
        Gen.Select(Gen.ULong, Gen.Bool).Select((data, ack) => Write(s => Http2FrameWriter.WritePing(s, data, ack))),
        Gen.Select(Gen.UInt[0, Http2Constants.StreamIdMask], Gen.UInt[0, 13], Content).Select((last, code, debug) =>
            Write(s => Http2FrameWriter.WriteGoAway(s, last, (Http2ErrorCode)code, debug))),
        Gen.Select(Gen.UInt[0, 9], Gen.Int[1, int.MaxValue]).Select((id, increment) => Write(s => Http2FrameWriter.WriteWindowUpdate(s, id, increment))));

    private static byte[] Write(Func<byte[], int> writer)
    {
        var buffer = new byte[1024];
        return buffer[..writer(buffer)];
    }

    [Fact]
    public void Written_frames_read_back_whole_and_wait_when_cut()
    {
        Gen.Select(Frames, Gen.Int[0, 1000]).Sample((bytes, cut) =>
        {
            var header = Http2FrameHeader.Read(bytes);
            var reader = RawFrames.ReaderAfterSettings();
            var result = reader.Read(bytes, out var frame);

            Assert.Equal(Http2ReadResult.Complete(bytes.Length), result);
            Assert.Equal(header, frame.Header);
            var rewritten = Rewrite(frame);
            Assert.Equal(bytes, rewritten);

            var at = cut % bytes.Length;
            var waiting = RawFrames.ReaderAfterSettings();
            Assert.Equal(Http2ReadStatus.NeedMoreData, waiting.Read(bytes.AsSpan(0, at), out _).Status);
        });
    }

    [Fact]
    public void Random_bytes_never_throw_and_views_stay_inside_the_input()
    {
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            var reader = RawFrames.ReaderAfterSettings();
            var result = reader.Read(bytes, out var frame);
            if (result.Status is Http2ReadStatus.Complete or Http2ReadStatus.StreamError)
            {
                Assert.InRange(result.FrameLength, 9, bytes.Length);
                Assert.True(frame.Data.Length <= frame.Payload.Length);
                Assert.Equal(result.FrameLength - 9, frame.Payload.Length);
            }
        }, iter: 20_000);
    }

    /// <summary>Writes the frame again from what the reader saw, through the writer, to compare bytes.</summary>
    private static byte[] Rewrite(Http2Frame frame)
    {
        var buffer = new byte[1024];
        var pad = frame.Header.HasFlag(Http2FrameFlags.Padded) ? frame.Payload[0] : 0;
        var length = frame.Type switch
        {
            Http2FrameType.Data => Http2FrameWriter.WriteData(buffer, frame.StreamId, frame.Data, frame.EndStream, pad),
            Http2FrameType.Headers => Http2FrameWriter.WriteHeaders(
                buffer, frame.StreamId, frame.Data, frame.EndStream, frame.EndHeaders, frame.HasPriority ? frame.Priority : null, pad),
            Http2FrameType.Priority => Http2FrameWriter.WritePriority(buffer, frame.StreamId, frame.Priority),
            Http2FrameType.RstStream => Http2FrameWriter.WriteRstStream(buffer, frame.StreamId, frame.ErrorCode),
            Http2FrameType.Settings when frame.IsAck => Http2FrameWriter.WriteSettingsAck(buffer),
            Http2FrameType.Settings => Http2FrameWriter.WriteSettings(buffer, ToList(frame.Settings).ToArray()),
            Http2FrameType.PushPromise => Http2FrameWriter.WritePushPromise(buffer, frame.StreamId, frame.PromisedStreamId, frame.Data, frame.EndHeaders, pad),
            Http2FrameType.Ping => Http2FrameWriter.WritePing(buffer, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(frame.Data), frame.IsAck),
            Http2FrameType.GoAway => Http2FrameWriter.WriteGoAway(buffer, frame.LastStreamId, frame.ErrorCode, frame.Data),
            Http2FrameType.WindowUpdate => Http2FrameWriter.WriteWindowUpdate(buffer, frame.StreamId, frame.WindowIncrement),
            _ => Http2FrameWriter.WriteContinuation(buffer, frame.StreamId, frame.Data, frame.EndHeaders),
        };
        return buffer[..length];
    }

    private static List<Http2Setting> ToList(Http2SettingsReader settings)
    {
        var list = new List<Http2Setting>();
        foreach (var setting in settings)
        {
            list.Add(setting);
        }

        return list;
    }
}
