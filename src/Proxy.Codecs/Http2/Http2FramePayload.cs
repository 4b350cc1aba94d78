using System.Buffers.Binary;

namespace MeshEdge.Codecs.Http2;

/// <summary>
/// The per-type rules of RFC 9113 §6 for one whole frame: stream id, length, padding, fixed fields
/// and SETTINGS values. Fills the view even when the answer is a stream error, so the caller can still
/// feed a HEADERS frame's fragment to HPACK before it resets the stream.
/// </summary>
internal static class Http2FramePayload
{
    public static Http2Error Parse(Http2FrameHeader header, ReadOnlySpan<byte> payload, out Http2Frame frame)
    {
        frame = new Http2Frame { Header = header, Payload = payload, Data = payload };
        return header.Type switch
        {
            Http2FrameType.Data => ParseData(header, payload, out frame),
            Http2FrameType.Headers => ParseHeaders(header, payload, out frame),
            Http2FrameType.Priority => ParsePriority(header, payload, out frame),
            Http2FrameType.RstStream => ParseRstStream(header, payload, out frame),
            Http2FrameType.Settings => ParseSettings(header, payload),
            Http2FrameType.PushPromise => ParsePushPromise(header, payload, out frame),
            Http2FrameType.Ping => ParsePing(header, payload),
            Http2FrameType.GoAway => ParseGoAway(header, payload, out frame),
            Http2FrameType.WindowUpdate => ParseWindowUpdate(header, payload, out frame),
            Http2FrameType.Continuation => RequireStream(header),
            _ => Http2Error.None,
        };
    }

    private static Http2Error ParseData(Http2FrameHeader header, ReadOnlySpan<byte> payload, out Http2Frame frame)
    {
        ReadOnlySpan<byte> content = default;
        var error = RequireStream(header);
        error = error.IsError ? error : Unpad(header, payload, fixedLength: 0, out content);
        frame = new Http2Frame { Header = header, Payload = payload, Data = error.IsError ? default : content };
        return error;
    }

    private static Http2Error ParseHeaders(Http2FrameHeader header, ReadOnlySpan<byte> payload, out Http2Frame frame)
    {
        var hasPriority = header.HasFlag(Http2FrameFlags.Priority);
        ReadOnlySpan<byte> rest = default;
        var error = RequireStream(header);
        error = error.IsError ? error : Unpad(header, payload, hasPriority ? Http2Constants.PriorityPayloadLength : 0, out rest);
        if (error.IsError)
        {
            frame = new Http2Frame { Header = header, Payload = payload };
            return error;
        }

        var priority = hasPriority ? Http2Priority.Read(rest) : default;
        frame = new Http2Frame
        {
            Header = header,
            Payload = payload,
            Data = hasPriority ? rest[Http2Constants.PriorityPayloadLength..] : rest,
            Priority = priority,
            HasPriority = hasPriority,
        };
        return hasPriority && priority.StreamDependency == header.StreamId
            ? Http2Error.Stream(Http2ErrorCode.ProtocolError, Http2ErrorReason.SelfDependency, header.StreamId)
            : Http2Error.None;
    }

    private static Http2Error ParsePriority(Http2FrameHeader header, ReadOnlySpan<byte> payload, out Http2Frame frame)
    {
        frame = new Http2Frame { Header = header, Payload = payload };
        var error = RequireStream(header);
        if (error.IsError)
        {
            return error;
        }

        // §6.3: a PRIORITY of the wrong length is a stream error, unlike most size errors.
        if (payload.Length != Http2Constants.PriorityPayloadLength)
        {
            return Http2Error.Stream(Http2ErrorCode.FrameSizeError, Http2ErrorReason.WrongPayloadLength, header.StreamId);
        }

        var priority = Http2Priority.Read(payload);
        frame = new Http2Frame { Header = header, Payload = payload, Priority = priority, HasPriority = true };
        return priority.StreamDependency == header.StreamId
            ? Http2Error.Stream(Http2ErrorCode.ProtocolError, Http2ErrorReason.SelfDependency, header.StreamId)
            : Http2Error.None;
    }

    private static Http2Error ParseRstStream(Http2FrameHeader header, ReadOnlySpan<byte> payload, out Http2Frame frame)
    {
        frame = new Http2Frame { Header = header, Payload = payload };
        var error = RequireStream(header);
        error = error.IsError ? error : RequireLength(payload, Http2Constants.RstStreamPayloadLength);
        if (!error.IsError)
        {
            frame = new Http2Frame { Header = header, Payload = payload, ErrorCode = (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(payload) };
        }

        return error;
    }

    private static Http2Error ParseSettings(Http2FrameHeader header, ReadOnlySpan<byte> payload)
    {
        var error = ForbidStream(header);
        if (error.IsError)
        {
            return error;
        }

        if (header.HasFlag(Http2FrameFlags.Ack))
        {
            return payload.IsEmpty ? Http2Error.None : Http2Error.Connection(Http2ErrorCode.FrameSizeError, Http2ErrorReason.SettingsAckWithPayload);
        }

        if (payload.Length % Http2Constants.SettingLength != 0)
        {
            return Http2Error.Connection(Http2ErrorCode.FrameSizeError, Http2ErrorReason.SettingsLengthNotMultipleOfSix);
        }

        foreach (var setting in new Http2SettingsReader(payload))
        {
            error = setting.Validate();
            if (error.IsError)
            {
                return error;
            }
        }

        return Http2Error.None;
    }

    private static Http2Error ParsePushPromise(Http2FrameHeader header, ReadOnlySpan<byte> payload, out Http2Frame frame)
    {
        frame = new Http2Frame { Header = header, Payload = payload };
        ReadOnlySpan<byte> rest = default;
        var error = RequireStream(header);
        error = error.IsError ? error : Unpad(header, payload, Http2Constants.PromisedStreamIdLength, out rest);
        if (error.IsError)
        {
            return error;
        }

        var promised = BinaryPrimitives.ReadUInt32BigEndian(rest) & Http2Constants.StreamIdMask;
        frame = new Http2Frame { Header = header, Payload = payload, Data = rest[Http2Constants.PromisedStreamIdLength..], PromisedStreamId = promised };
        return promised == 0 ? Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.PromisedStreamIdZero) : Http2Error.None;
    }

    private static Http2Error ParsePing(Http2FrameHeader header, ReadOnlySpan<byte> payload)
    {
        var error = ForbidStream(header);
        return error.IsError ? error : RequireLength(payload, Http2Constants.PingPayloadLength);
    }

    private static Http2Error ParseGoAway(Http2FrameHeader header, ReadOnlySpan<byte> payload, out Http2Frame frame)
    {
        frame = new Http2Frame { Header = header, Payload = payload };
        var error = ForbidStream(header);
        if (error.IsError)
        {
            return error;
        }

        if (payload.Length < Http2Constants.GoAwayMinimumPayloadLength)
        {
            return Http2Error.Connection(Http2ErrorCode.FrameSizeError, Http2ErrorReason.PayloadTooShort);
        }

        frame = new Http2Frame
        {
            Header = header,
            Payload = payload,
            LastStreamId = BinaryPrimitives.ReadUInt32BigEndian(payload) & Http2Constants.StreamIdMask,
            ErrorCode = (Http2ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(payload[4..]),
            Data = payload[Http2Constants.GoAwayMinimumPayloadLength..],
        };
        return Http2Error.None;
    }

    private static Http2Error ParseWindowUpdate(Http2FrameHeader header, ReadOnlySpan<byte> payload, out Http2Frame frame)
    {
        frame = new Http2Frame { Header = header, Payload = payload };
        var error = RequireLength(payload, Http2Constants.WindowUpdatePayloadLength);
        if (error.IsError)
        {
            return error;
        }

        var increment = (int)(BinaryPrimitives.ReadUInt32BigEndian(payload) & Http2Constants.StreamIdMask);
        frame = new Http2Frame { Header = header, Payload = payload, WindowIncrement = increment };
        if (increment != 0)
        {
            return Http2Error.None;
        }

        // §6.9: a zero increment is a stream error on a stream and a connection error on stream 0.
        return header.StreamId == 0
            ? Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.ZeroWindowIncrement)
            : Http2Error.Stream(Http2ErrorCode.ProtocolError, Http2ErrorReason.ZeroWindowIncrement, header.StreamId);
    }

    /// <summary>
    /// Removes the Pad Length byte and the padding when PADDED is set, then checks that
    /// <paramref name="fixedLength"/> bytes of fixed fields remain. Too short to hold the fields is a
    /// FRAME_SIZE_ERROR (§4.2); padding longer than what remains is a PROTOCOL_ERROR (§6.1, §6.2, §6.6).
    /// Both end the connection: these frames carry field blocks or flow-controlled bytes.
    /// </summary>
    private static Http2Error Unpad(Http2FrameHeader header, ReadOnlySpan<byte> payload, int fixedLength, out ReadOnlySpan<byte> rest)
    {
        rest = default;
        var padded = header.HasFlag(Http2FrameFlags.Padded);
        var prefix = padded ? 1 : 0;
        if (payload.Length < prefix + fixedLength)
        {
            return Http2Error.Connection(Http2ErrorCode.FrameSizeError, Http2ErrorReason.PayloadTooShort);
        }

        var padLength = padded ? payload[0] : 0;
        if (padLength > payload.Length - prefix - fixedLength)
        {
            return Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.PaddingTooLong);
        }

        rest = payload[prefix..(payload.Length - padLength)];
        return Http2Error.None;
    }

    private static Http2Error RequireStream(Http2FrameHeader header) => header.StreamId == 0
        ? Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.StreamIdRequired)
        : Http2Error.None;

    private static Http2Error ForbidStream(Http2FrameHeader header) => header.StreamId != 0
        ? Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.StreamIdForbidden)
        : Http2Error.None;

    /// <summary>RST_STREAM, PING and WINDOW_UPDATE of the wrong length end the connection (§6.4, §6.7, §6.9).</summary>
    private static Http2Error RequireLength(ReadOnlySpan<byte> payload, int length) => payload.Length != length
        ? Http2Error.Connection(Http2ErrorCode.FrameSizeError, Http2ErrorReason.WrongPayloadLength)
        : Http2Error.None;
}
