using MeshEdge.Codecs.Http2;
using static MeshEdge.Codecs.Tests.Http2.RawFrames;
using Type = MeshEdge.Codecs.Http2.Http2FrameType;

namespace MeshEdge.Codecs.Tests.Http2;

/// <summary>Each error case of RFC 9113 §4-6 the frame layer decides, with the code and scope the spec names.</summary>
public class Http2FrameReaderTests
{
    private const byte EndStream = Http2FrameFlags.EndStream;
    private const byte EndHeaders = Http2FrameFlags.EndHeaders;
    private const byte Padded = Http2FrameFlags.Padded;
    private const byte Priority = Http2FrameFlags.Priority;
    private const byte Ack = Http2FrameFlags.Ack;

    /// <summary>What the spec says of each case: the code, the reason we log, and whether the whole connection ends.</summary>
    private static readonly Dictionary<string, (byte[] Bytes, Http2ErrorCode Code, Http2ErrorReason Reason, bool Connection)> Cases = new()
    {
        ["DATA on stream 0"] = (Frame(Type.Data, 0, 0, 1, 2), Http2ErrorCode.ProtocolError, Http2ErrorReason.StreamIdRequired, true),
        ["DATA padded, no pad length"] = (Frame(Type.Data, Padded, 1), Http2ErrorCode.FrameSizeError, Http2ErrorReason.PayloadTooShort, true),
        ["DATA pad length = payload length"] = (Frame(Type.Data, Padded, 1, 3, 0, 0), Http2ErrorCode.ProtocolError, Http2ErrorReason.PaddingTooLong, true),
        ["HEADERS on stream 0"] = (Frame(Type.Headers, EndHeaders, 0, 0x82), Http2ErrorCode.ProtocolError, Http2ErrorReason.StreamIdRequired, true),
        ["HEADERS padding past fragment"] = (Frame(Type.Headers, EndHeaders | Padded, 1, 2, 0x82), Http2ErrorCode.ProtocolError, Http2ErrorReason.PaddingTooLong, true),
        ["HEADERS priority flag, 4 bytes"] = (Frame(Type.Headers, EndHeaders | Priority, 1, 0, 0, 0, 3), Http2ErrorCode.FrameSizeError, Http2ErrorReason.PayloadTooShort, true),
        ["HEADERS padding eats priority"] = (Frame(Type.Headers, EndHeaders | Priority | Padded, 1, 1, 0, 0, 0, 3, 16), Http2ErrorCode.ProtocolError, Http2ErrorReason.PaddingTooLong, true),
        ["HEADERS depends on itself"] = (Frame(Type.Headers, EndHeaders | Priority, 3, 0, 0, 0, 3, 16, 0x82), Http2ErrorCode.ProtocolError, Http2ErrorReason.SelfDependency, false),
        ["PRIORITY on stream 0"] = (Frame(Type.Priority, 0, 0, 0, 0, 0, 1, 16), Http2ErrorCode.ProtocolError, Http2ErrorReason.StreamIdRequired, true),
        ["PRIORITY of 4 bytes"] = (Frame(Type.Priority, 0, 1, 0, 0, 0, 3), Http2ErrorCode.FrameSizeError, Http2ErrorReason.WrongPayloadLength, false),
        ["PRIORITY depends on itself"] = (Frame(Type.Priority, 0, 5, 0, 0, 0, 5, 16), Http2ErrorCode.ProtocolError, Http2ErrorReason.SelfDependency, false),
        ["RST_STREAM on stream 0"] = (Frame(Type.RstStream, 0, 0, 0, 0, 0, 8), Http2ErrorCode.ProtocolError, Http2ErrorReason.StreamIdRequired, true),
        ["RST_STREAM of 3 bytes"] = (Frame(Type.RstStream, 0, 1, 0, 0, 8), Http2ErrorCode.FrameSizeError, Http2ErrorReason.WrongPayloadLength, true),
        ["SETTINGS on stream 1"] = (Frame(Type.Settings, 0, 1), Http2ErrorCode.ProtocolError, Http2ErrorReason.StreamIdForbidden, true),
        ["SETTINGS ACK with payload"] = (Frame(Type.Settings, Ack, 0, 0, 1, 0, 0, 0, 0), Http2ErrorCode.FrameSizeError, Http2ErrorReason.SettingsAckWithPayload, true),
        ["SETTINGS of 5 bytes"] = (Frame(Type.Settings, 0, 0, 0, 1, 0, 0, 0), Http2ErrorCode.FrameSizeError, Http2ErrorReason.SettingsLengthNotMultipleOfSix, true),
        ["ENABLE_PUSH = 2"] = (Settings((2, 2)), Http2ErrorCode.ProtocolError, Http2ErrorReason.InvalidSettingFlag, true),
        ["ENABLE_CONNECT_PROTOCOL = 7"] = (Settings((8, 7)), Http2ErrorCode.ProtocolError, Http2ErrorReason.InvalidSettingFlag, true),
        ["INITIAL_WINDOW_SIZE = 2^31"] = (Settings((4, 0x8000_0000)), Http2ErrorCode.FlowControlError, Http2ErrorReason.InitialWindowSizeTooLarge, true),
        ["MAX_FRAME_SIZE = 16383"] = (Settings((5, 16_383)), Http2ErrorCode.ProtocolError, Http2ErrorReason.InvalidMaxFrameSize, true),
        ["MAX_FRAME_SIZE = 2^24"] = (Settings((5, 16_777_216)), Http2ErrorCode.ProtocolError, Http2ErrorReason.InvalidMaxFrameSize, true),
        ["PUSH_PROMISE on stream 0"] = (Frame(Type.PushPromise, EndHeaders, 0, 0, 0, 0, 2), Http2ErrorCode.ProtocolError, Http2ErrorReason.StreamIdRequired, true),
        ["PUSH_PROMISE of 3 bytes"] = (Frame(Type.PushPromise, EndHeaders, 1, 0, 0, 2), Http2ErrorCode.FrameSizeError, Http2ErrorReason.PayloadTooShort, true),
        ["PUSH_PROMISE promising 0"] = (Frame(Type.PushPromise, EndHeaders, 1, 0, 0, 0, 0), Http2ErrorCode.ProtocolError, Http2ErrorReason.PromisedStreamIdZero, true),
        ["PUSH_PROMISE padding too long"] = (Frame(Type.PushPromise, EndHeaders | Padded, 1, 1, 0, 0, 0, 2), Http2ErrorCode.ProtocolError, Http2ErrorReason.PaddingTooLong, true),
        ["PING on stream 1"] = (Frame(Type.Ping, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0), Http2ErrorCode.ProtocolError, Http2ErrorReason.StreamIdForbidden, true),
        ["PING of 7 bytes"] = (Frame(Type.Ping, 0, 0, 0, 0, 0, 0, 0, 0, 0), Http2ErrorCode.FrameSizeError, Http2ErrorReason.WrongPayloadLength, true),
        ["PING of 9 bytes"] = (Frame(Type.Ping, Ack, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Http2ErrorCode.FrameSizeError, Http2ErrorReason.WrongPayloadLength, true),
        ["GOAWAY on stream 1"] = (Frame(Type.GoAway, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0), Http2ErrorCode.ProtocolError, Http2ErrorReason.StreamIdForbidden, true),
        ["GOAWAY of 7 bytes"] = (Frame(Type.GoAway, 0, 0, 0, 0, 0, 0, 0, 0, 0), Http2ErrorCode.FrameSizeError, Http2ErrorReason.PayloadTooShort, true),
        ["WINDOW_UPDATE of 3 bytes"] = (Frame(Type.WindowUpdate, 0, 1, 0, 0, 1), Http2ErrorCode.FrameSizeError, Http2ErrorReason.WrongPayloadLength, true),
        ["WINDOW_UPDATE 0 on a stream"] = (Frame(Type.WindowUpdate, 0, 1, 0, 0, 0, 0), Http2ErrorCode.ProtocolError, Http2ErrorReason.ZeroWindowIncrement, false),
        ["WINDOW_UPDATE 0 on the connection"] = (Frame(Type.WindowUpdate, 0, 0, 0, 0, 0, 0), Http2ErrorCode.ProtocolError, Http2ErrorReason.ZeroWindowIncrement, true),
        ["WINDOW_UPDATE 0 with the reserved bit"] = (Frame(Type.WindowUpdate, 0, 0, 0x80, 0, 0, 0), Http2ErrorCode.ProtocolError, Http2ErrorReason.ZeroWindowIncrement, true),
        ["CONTINUATION with no open block"] = (Frame(Type.Continuation, EndHeaders, 1, 0x82), Http2ErrorCode.ProtocolError, Http2ErrorReason.UnexpectedContinuation, true),
        ["CONTINUATION on stream 0"] = (Frame(Type.Continuation, EndHeaders, 0, 0x82), Http2ErrorCode.ProtocolError, Http2ErrorReason.UnexpectedContinuation, true),
    };

    public static TheoryData<string> Errors() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Errors))]
    public void Each_malformed_frame_gets_the_code_and_scope_the_spec_names(string what)
    {
        var (bytes, code, reason, connection) = Cases[what];
        var reader = ReaderAfterSettings();
        var result = reader.Read(bytes, out _);

        Assert.True(result.Error.IsError, what);
        Assert.Equal(code, result.Error.Code);
        Assert.Equal(reason, result.Error.Reason);
        Assert.Equal(connection, result.Error.IsConnectionError);
        Assert.Equal(connection ? Http2ReadStatus.ConnectionError : Http2ReadStatus.StreamError, result.Status);
        if (!connection)
        {
            Assert.Equal(bytes.Length, result.FrameLength);
            Assert.NotEqual(0u, result.Error.StreamId);
        }
    }

    [Fact]
    public void A_frame_longer_than_the_advertised_maximum_is_refused_from_its_header_alone()
    {
        var reader = ReaderAfterSettings();
        var header = Frame(Type.Data, 0, 1, new byte[16_385])[..9];

        var result = reader.Read(header, out _);

        Assert.Equal(Http2ReadStatus.ConnectionError, result.Status);
        Assert.Equal(Http2ErrorCode.FrameSizeError, result.Error.Code);
        Assert.Equal(Http2ErrorReason.FrameTooLarge, result.Error.Reason);

        var larger = ReaderAfterSettings(maxFrameSize: 16_385);
        Assert.Equal(Http2ReadStatus.NeedMoreData, larger.Read(header, out _).Status);
    }

    [Fact]
    public void The_first_frame_must_be_a_settings_frame_without_ack()
    {
        var ping = Frame(Type.Ping, 0, 0, new byte[8]);
        var fresh = new Http2FrameReader(Http2Constants.DefaultMaxFrameSize, expectSettingsFirst: true);
        Assert.Equal(Http2ErrorReason.FirstFrameNotSettings, fresh.Read(ping, out _).Error.Reason);

        var ack = new Http2FrameReader(Http2Constants.DefaultMaxFrameSize, expectSettingsFirst: true);
        Assert.Equal(Http2ErrorReason.FirstFrameNotSettings, ack.Read(Frame(Type.Settings, Ack, 0), out _).Error.Reason);

        var reader = new Http2FrameReader(Http2Constants.DefaultMaxFrameSize, expectSettingsFirst: true);
        Assert.Equal(Http2ReadStatus.Complete, reader.Read(Settings((3, 100)), out _).Status);
        Assert.Equal(Http2ReadStatus.Complete, reader.Read(ping, out _).Status);
    }

    [Fact]
    public void An_open_field_block_admits_only_its_own_continuation()
    {
        var reader = ReaderAfterSettings();
        Assert.Equal(Http2ReadStatus.Complete, reader.Read(Frame(Type.Headers, 0, 1, 0x82), out _).Status);
        Assert.Equal(1u, reader.OpenFieldBlockStream);

        var other = reader;
        Assert.Equal(Http2ErrorReason.ContinuationExpected, other.Read(Frame(Type.Continuation, EndHeaders, 3, 0x84), out _).Error.Reason);
        var ping = reader;
        Assert.Equal(Http2ErrorReason.ContinuationExpected, ping.Read(Frame(Type.Ping, 0, 0, new byte[8]), out _).Error.Reason);
        var extension = reader;
        Assert.Equal(Http2ErrorReason.ContinuationExpected, extension.Read(Frame(0x42, 0, 1, []), out _).Error.Reason);

        Assert.Equal(Http2ReadStatus.Complete, reader.Read(Frame(Type.Continuation, 0, 1, 0x86), out var continuation).Status);
        Assert.Equal([0x86], continuation.Data.ToArray());
        Assert.Equal(1u, reader.OpenFieldBlockStream);
        Assert.Equal(Http2ReadStatus.Complete, reader.Read(Frame(Type.Continuation, EndHeaders, 1, 0x84), out _).Status);
        Assert.Equal(0u, reader.OpenFieldBlockStream);
    }

    [Fact]
    public void A_stream_error_still_gives_the_field_block_and_keeps_the_sequence()
    {
        var reader = ReaderAfterSettings();
        var result = reader.Read(Frame(Type.Headers, Priority, 3, 0, 0, 0, 3, 16, 0x82, 0x86), out var frame);

        Assert.Equal(Http2ReadStatus.StreamError, result.Status);
        Assert.Equal(3u, result.Error.StreamId);
        Assert.Equal([0x82, 0x86], frame.Data.ToArray());
        Assert.Equal(3u, reader.OpenFieldBlockStream);
    }

    [Fact]
    public void Padding_is_removed_and_an_empty_padded_fragment_is_allowed()
    {
        var reader = ReaderAfterSettings();
        Assert.Equal(Http2ReadStatus.Complete, reader.Read(Frame(Type.Data, Padded | EndStream, 1, 2, 7, 8, 0, 0), out var data).Status);
        Assert.Equal([7, 8], data.Data.ToArray());
        Assert.True(data.EndStream);
        Assert.Equal(5, data.FlowControlledLength);

        Assert.Equal(Http2ReadStatus.Complete, reader.Read(Frame(Type.Headers, Padded | EndHeaders, 1, 1, 0), out var headers).Status);
        Assert.True(headers.Data.IsEmpty);
        Assert.True(headers.EndHeaders);
    }

    [Fact]
    public void Unknown_types_flags_and_settings_are_ignored_and_the_reserved_bit_dropped()
    {
        var reader = ReaderAfterSettings();
        Assert.Equal(Http2ReadStatus.Complete, reader.Read(Frame(0xfa, 0xff, 7, [1, 2, 3]), out var extension).Status);
        Assert.True(extension.IsExtension);
        Assert.Equal([1, 2, 3], extension.Data.ToArray());

        Assert.Equal(Http2ReadStatus.Complete, reader.Read(Frame(Type.Ping, 0xfe, 0, new byte[8]), out var ping).Status);
        Assert.False(ping.IsAck);

        Assert.Equal(Http2ReadStatus.Complete, reader.Read(Settings((0x99, 123456), (3, 7)), out var settings).Status);
        var seen = new List<Http2Setting>();
        foreach (var setting in settings.Settings)
        {
            seen.Add(setting);
        }

        Assert.Equal([new((Http2SettingId)0x99, 123456), new(Http2SettingId.MaxConcurrentStreams, 7)], seen);

        Assert.Equal(Http2ReadStatus.Complete, reader.Read(Frame(Type.RstStream, 0, 0x8000_0005, 0, 0, 0, 8), out var reset).Status);
        Assert.Equal(5u, reset.StreamId);
        Assert.Equal(Http2ErrorCode.Cancel, reset.ErrorCode);
    }

    [Fact]
    public void Too_few_bytes_wait_and_say_how_many_the_frame_needs()
    {
        var frame = Frame(Type.Data, 0, 1, new byte[100]);
        var reader = ReaderAfterSettings();

        Assert.Equal(Http2ReadResult.NeedMoreData(0), reader.Read(frame.AsSpan(0, 8), out _));
        Assert.Equal(Http2ReadResult.NeedMoreData(109), reader.Read(frame.AsSpan(0, 9), out _));
        Assert.Equal(Http2ReadResult.NeedMoreData(109), reader.Read(frame.AsSpan(0, 108), out _));
        Assert.Equal(Http2ReadResult.Complete(109), reader.Read(frame, out _));
    }

    [Fact]
    public void A_header_split_across_blocks_can_be_peeked()
    {
        var frame = Frame(Type.Headers, EndHeaders, 0x8000_0007, new byte[300]);
        var split = Codecs.Tests.Http1.TestSupport.SegmentedSequence.Create(frame, 2, 5, 8, 100);

        Assert.True(Http2FrameReader.TryPeekHeader(split, out var header));
        Assert.Equal(new Http2FrameHeader(300, Type.Headers, EndHeaders, 7), header);
        Assert.Equal(309, header.FrameLength);
        Assert.False(Http2FrameReader.TryPeekHeader(split.Slice(0, 8), out _));
    }

    [Fact]
    public void The_preface_matches_waits_or_fails_at_the_first_wrong_byte()
    {
        Assert.Equal(Http2ReadResult.Complete(24), Http2Preface.Read("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0"u8));
        Assert.Equal(Http2ReadStatus.NeedMoreData, Http2Preface.Read("PRI * HTTP/2"u8).Status);
        Assert.Equal(Http2ReadStatus.NeedMoreData, Http2Preface.Read(default).Status);
        var wrong = Http2Preface.Read("PRI * HTTP/1.1"u8);
        Assert.Equal(Http2ReadStatus.ConnectionError, wrong.Status);
        Assert.Equal(Http2ErrorReason.PrefaceMismatch, wrong.Error.Reason);
    }
}
