using System.Buffers.Binary;

namespace MeshEdge.Codecs.Http2;

/// <summary>
/// Writes whole frames into the caller's span and returns how many bytes they took. The span must
/// hold the frame (<see cref="Http2Constants.FrameHeaderLength"/> plus the payload); splitting a field
/// block into HEADERS and CONTINUATION frames, or data into frames no larger than the peer's
/// SETTINGS_MAX_FRAME_SIZE, is the caller's choice.
/// </summary>
internal static class Http2FrameWriter
{
    /// <summary><paramref name="padding"/> &gt; 0 sets PADDED with that many zero bytes after the data.</summary>
    public static int WriteData(Span<byte> destination, uint streamId, ReadOnlySpan<byte> data, bool endStream, int padding = 0)
    {
        var flags = endStream ? Http2FrameFlags.EndStream : Http2FrameFlags.None;
        return WritePadded(destination, Http2FrameType.Data, flags, streamId, default, data, padding);
    }

    public static int WriteHeaders(
        Span<byte> destination,
        uint streamId,
        ReadOnlySpan<byte> fragment,
        bool endStream,
        bool endHeaders,
        Http2Priority? priority = null,
        int padding = 0)
    {
        var flags = (byte)((endStream ? Http2FrameFlags.EndStream : 0) | (endHeaders ? Http2FrameFlags.EndHeaders : 0));
        Span<byte> fields = stackalloc byte[Http2Constants.PriorityPayloadLength];
        if (priority is { } value)
        {
            flags |= Http2FrameFlags.Priority;
            value.Write(fields);
        }

        return WritePadded(destination, Http2FrameType.Headers, flags, streamId, priority is null ? default : fields, fragment, padding);
    }

    public static int WritePriority(Span<byte> destination, uint streamId, Http2Priority priority)
    {
        var at = Http2FrameHeader.Write(destination, Http2Constants.PriorityPayloadLength, Http2FrameType.Priority, 0, streamId);
        return at + priority.Write(destination[at..]);
    }

    public static int WriteRstStream(Span<byte> destination, uint streamId, Http2ErrorCode code)
    {
        var at = Http2FrameHeader.Write(destination, Http2Constants.RstStreamPayloadLength, Http2FrameType.RstStream, 0, streamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[at..], (uint)code);
        return at + Http2Constants.RstStreamPayloadLength;
    }

    public static int WriteSettings(Span<byte> destination, ReadOnlySpan<Http2Setting> settings)
    {
        var at = Http2FrameHeader.Write(destination, settings.Length * Http2Constants.SettingLength, Http2FrameType.Settings, 0, 0);
        foreach (var setting in settings)
        {
            at += setting.Write(destination[at..]);
        }

        return at;
    }

    public static int WriteSettingsAck(Span<byte> destination) =>
        Http2FrameHeader.Write(destination, 0, Http2FrameType.Settings, Http2FrameFlags.Ack, 0);

    public static int WritePushPromise(Span<byte> destination, uint streamId, uint promisedStreamId, ReadOnlySpan<byte> fragment, bool endHeaders, int padding = 0)
    {
        Span<byte> promised = stackalloc byte[Http2Constants.PromisedStreamIdLength];
        BinaryPrimitives.WriteUInt32BigEndian(promised, promisedStreamId & Http2Constants.StreamIdMask);
        var flags = endHeaders ? Http2FrameFlags.EndHeaders : Http2FrameFlags.None;
        return WritePadded(destination, Http2FrameType.PushPromise, flags, streamId, promised, fragment, padding);
    }

    public static int WritePing(Span<byte> destination, ulong opaqueData, bool ack)
    {
        var at = Http2FrameHeader.Write(destination, Http2Constants.PingPayloadLength, Http2FrameType.Ping, ack ? Http2FrameFlags.Ack : Http2FrameFlags.None, 0);
        BinaryPrimitives.WriteUInt64BigEndian(destination[at..], opaqueData);
        return at + Http2Constants.PingPayloadLength;
    }

    public static int WriteGoAway(Span<byte> destination, uint lastStreamId, Http2ErrorCode code, ReadOnlySpan<byte> debugData = default)
    {
        var at = Http2FrameHeader.Write(destination, Http2Constants.GoAwayMinimumPayloadLength + debugData.Length, Http2FrameType.GoAway, 0, 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[at..], lastStreamId & Http2Constants.StreamIdMask);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(at + 4)..], (uint)code);
        at += Http2Constants.GoAwayMinimumPayloadLength;
        debugData.CopyTo(destination[at..]);
        return at + debugData.Length;
    }

    public static int WriteWindowUpdate(Span<byte> destination, uint streamId, int increment)
    {
        var at = Http2FrameHeader.Write(destination, Http2Constants.WindowUpdatePayloadLength, Http2FrameType.WindowUpdate, 0, streamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[at..], (uint)increment & Http2Constants.StreamIdMask);
        return at + Http2Constants.WindowUpdatePayloadLength;
    }

    public static int WriteContinuation(Span<byte> destination, uint streamId, ReadOnlySpan<byte> fragment, bool endHeaders)
    {
        var at = Http2FrameHeader.Write(destination, fragment.Length, Http2FrameType.Continuation, endHeaders ? Http2FrameFlags.EndHeaders : Http2FrameFlags.None, streamId);
        fragment.CopyTo(destination[at..]);
        return at + fragment.Length;
    }

    /// <summary>Header, [pad length], fixed fields, content, [zero padding].</summary>
    private static int WritePadded(
        Span<byte> destination,
        Http2FrameType type,
        byte flags,
        uint streamId,
        ReadOnlySpan<byte> fixedFields,
        ReadOnlySpan<byte> content,
        int padding)
    {
        var padded = padding > 0;
        var length = (padded ? 1 + padding : 0) + fixedFields.Length + content.Length;
        var at = Http2FrameHeader.Write(destination, length, type, (byte)(flags | (padded ? Http2FrameFlags.Padded : 0)), streamId);
        if (padded)
        {
            destination[at++] = (byte)padding;
        }

        fixedFields.CopyTo(destination[at..]);
        at += fixedFields.Length;
        content.CopyTo(destination[at..]);
        at += content.Length;
        if (padded)
        {
            destination.Slice(at, padding).Clear();
            at += padding;
        }

        return at;
    }
}
