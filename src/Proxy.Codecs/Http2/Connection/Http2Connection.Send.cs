using System.Buffers;

namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>
/// Sending: streams opened (client role), field blocks encoded, DATA within the windows, resets,
/// GOAWAY, and the WINDOW_UPDATEs that follow what the consumer releases.
/// </summary>
internal sealed partial class Http2Connection
{
    /// <summary>The most fields one outgoing list may hold.</summary>
    public const int MaxSendFields = 256;

    private byte[]? _sendRaw;
    private int _sendRawLength;
    private Http2FieldRef[]? _sendRefs;
    private int _sendFieldCount;

    /// <summary>
    /// Client role: takes the next stream id, counted against the peer's SETTINGS_MAX_CONCURRENT_STREAMS
    /// and our own cap. False when either is reached, or after a GOAWAY: open another connection.
    /// </summary>
    public bool TryOpenStream(out uint streamId)
    {
        streamId = 0;
        var limit = Math.Min(_peerMaxConcurrentStreams, (uint)_options.MaxConcurrentStreams);
        var next = _lastLocalStreamId == 0 ? 1u : _lastLocalStreamId + 2;
        if (_role != Http2ConnectionRole.Client || State != Http2ConnectionState.Open || _goAwayReceived
            || (uint)_streams.Count >= limit || next > Http2Constants.StreamIdMask)
        {
            return false;
        }

        _lastLocalStreamId = next;
        _streams.Add(next, Http2StreamState.Reserved, _peerInitialWindowSize, _options.InitialStreamWindowSize);
        _counters.StreamsOpened++;
        _streamsOpened++;
        IdleSince = -1;
        streamId = next;
        return true;
    }

    /// <summary>
    /// Adds one field (lowercase name; pseudo-headers first) to the list the next <see cref="SendHeaders"/>
    /// sends. The field is copied as it is and encoded only once the stream is known to be sendable,
    /// so HPACK's table never holds what the peer did not see. False when the list would pass
    /// <see cref="Http2ConnectionOptions.MaxSendFieldBlockSize"/> or <see cref="MaxSendFields"/>.
    /// </summary>
    public bool AddHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndex = false)
    {
        _sendRaw ??= _pool.Rent(_options.MaxSendFieldBlockSize);
        _sendRefs ??= new Http2FieldRef[MaxSendFields];
        if (_sendFieldCount == MaxSendFields || _sendRawLength + name.Length + value.Length > _options.MaxSendFieldBlockSize)
        {
            return false;
        }

        name.CopyTo(_sendRaw.AsSpan(_sendRawLength));
        value.CopyTo(_sendRaw.AsSpan(_sendRawLength + name.Length));
        _sendRefs[_sendFieldCount++] = new Http2FieldRef(_sendRawLength, name.Length, _sendRawLength + name.Length, value.Length, neverIndex);
        _sendRawLength += name.Length + value.Length;
        return true;
    }

    /// <summary>
    /// Sends the fields added since the last call as HEADERS (and CONTINUATIONs past the peer's frame
    /// size) on <paramref name="streamId"/>: a request (client role, on a stream from
    /// <see cref="TryOpenStream"/>), a response, or trailers (with <paramref name="endStream"/>).
    /// False, sending nothing and dropping the fields, when the stream is gone (reset meanwhile) or
    /// closed on our side.
    /// </summary>
    public bool SendHeaders(uint streamId, bool endStream, IBufferWriter<byte> output)
    {
        var slot = _streams.Find(streamId);
        if (slot < 0 || State == Http2ConnectionState.Closed || !(_streams[slot].CanSend || _streams[slot].State == Http2StreamState.Reserved))
        {
            ResetSendFields();
            return false;
        }

        // Each field encodes to at most its bytes plus a few of lengths and index: this never runs out.
        var bound = _sendRawLength + (16 * _sendFieldCount) + 16;
        if (bound <= _peerMaxFrameSize)
        {
            // The usual case, one HEADERS frame: encoded in place after its frame header, no scratch array.
            var span = output.GetSpan(Http2Constants.FrameHeaderLength + bound);
            var length = Encode(span[Http2Constants.FrameHeaderLength..]);
            var flags = (byte)(Http2FrameFlags.EndHeaders | (endStream ? Http2FrameFlags.EndStream : 0));
            Http2FrameHeader.Write(span, length, Http2FrameType.Headers, flags, streamId);
            output.Advance(Http2Constants.FrameHeaderLength + length);
        }
        else
        {
            var encoded = _pool.Rent(bound);
            var length = Encode(encoded);
            WriteFieldBlock(streamId, encoded.AsSpan(0, length), endStream, output);
            _pool.Return(encoded);
        }

        ResetSendFields();
        ref var stream = ref _streams[slot];
        stream.State = stream.State == Http2StreamState.Reserved ? Http2StreamState.Open : stream.State;
        stream.HeadSent = true;
        if (endStream)
        {
            CloseLocalSide(ref stream);
            RemoveIfClosed(streamId);
        }

        return true;
    }

    private int Encode(Span<byte> destination)
    {
        _encoder.TryBeginBlock(destination, out var at);
        for (var i = 0; i < _sendFieldCount; i++)
        {
            var field = _sendRefs![i];
            var name = _sendRaw.AsSpan(field.NameStart, field.NameLength);
            var value = _sendRaw.AsSpan(field.ValueStart, field.ValueLength);
            _encoder.TryEncode(name, value, destination[at..], out var written, field.NeverIndexed);
            at += written;
        }

        return at;
    }

    private void WriteFieldBlock(uint streamId, ReadOnlySpan<byte> block, bool endStream, IBufferWriter<byte> output)
    {
        var first = true;
        do
        {
            var take = Math.Min(block.Length, _peerMaxFrameSize);
            var last = take == block.Length;
            var span = output.GetSpan(Http2Constants.FrameHeaderLength + take);
            var written = first
                ? Http2FrameWriter.WriteHeaders(span, streamId, block[..take], endStream, endHeaders: last)
                : Http2FrameWriter.WriteContinuation(span, streamId, block[..take], endHeaders: last);
            output.Advance(written);
            block = block[take..];
            first = false;
        }
        while (!block.IsEmpty);
    }

    /// <summary>
    /// Sends as much of <paramref name="data"/> as the stream's and the connection's windows allow, in
    /// frames no larger than the peer's SETTINGS_MAX_FRAME_SIZE, and returns how much that was (-1 when
    /// the stream is gone). END_STREAM goes only with the last byte. What is left is the caller's to
    /// keep: the stream is marked blocked and <see cref="IHttp2ConnectionHandler.OnWindowOpened"/>
    /// says when to try again, so no byte is buffered here.
    /// </summary>
    public int SendData(uint streamId, ReadOnlySpan<byte> data, bool endStream, IBufferWriter<byte> output)
    {
        var slot = _streams.Find(streamId);
        if (slot < 0 || State == Http2ConnectionState.Closed || !_streams[slot].CanSend)
        {
            return -1;
        }

        ref var stream = ref _streams[slot];
        var allowed = Math.Min(data.Length, Math.Min(stream.SendWindow.Sendable, _sendWindow.Sendable));
        var sent = 0;
        var finish = endStream && allowed == data.Length;
        while (sent < allowed || (finish && sent == 0 && allowed == 0))
        {
            var take = Math.Min(allowed - sent, _peerMaxFrameSize);
            var last = sent + take == allowed;
            var span = output.GetSpan(Http2Constants.FrameHeaderLength + take);
            output.Advance(Http2FrameWriter.WriteData(span, streamId, data.Slice(sent, take), finish && last));
            stream.SendWindow.Consume(take, streamId);
            _sendWindow.Consume(take, 0);
            _dataFramesSent++;
            sent += take;
            if (take == 0)
            {
                break;
            }
        }

        if (allowed < data.Length)
        {
            if (!stream.Blocked)
            {
                stream.Blocked = true;
                stream.BlockedSince = _clock();
            }
        }
        else
        {
            stream.Blocked = false;
        }

        if (finish)
        {
            CloseLocalSide(ref stream);
            RemoveIfClosed(streamId);
        }

        return allowed;
    }

    /// <summary>Resets a stream on our own account (the exchange gave up: CANCEL, INTERNAL_ERROR...). Not counted as the peer's fault.</summary>
    public bool ResetStream(uint streamId, Http2ErrorCode code)
    {
        var slot = _streams.Find(streamId);
        if (slot < 0 || State == Http2ConnectionState.Closed)
        {
            return false;
        }

        QueueRstStream(streamId, code);
        RemoveStream(slot, byOurReset: true);
        return true;
    }

    /// <summary>
    /// The consumer is done with <paramref name="count"/> bytes of the stream's DATA: they go back to
    /// the peer's windows, announced in a WINDOW_UPDATE once half a window has gathered (so a slow
    /// reader makes the peer wait, and a fast one costs a frame per half window, not per read).
    /// </summary>
    public void ReleaseReceived(uint streamId, int count)
    {
        if (count <= 0 || State == Http2ConnectionState.Closed)
        {
            return;
        }

        var slot = _streams.Find(streamId);
        if (slot >= 0 && _streams[slot].CanReceive)
        {
            ref var stream = ref _streams[slot];
            stream.PendingWindowUpdate += count;
            if (stream.PendingWindowUpdate >= _options.InitialStreamWindowSize / 2)
            {
                var increment = stream.PendingWindowUpdate;
                stream.PendingWindowUpdate = 0;
                if (!stream.ReceiveWindow.Grow(increment, streamId).IsError)
                {
                    QueueWindowUpdate(streamId, increment);
                }
            }
        }

        ReleaseConnectionWindow(count);
    }

    private void ReleaseConnectionWindow(int count)
    {
        _pendingConnectionWindowUpdate += count;
        if (_pendingConnectionWindowUpdate >= _options.ConnectionWindowSize / 2)
        {
            var increment = _pendingConnectionWindowUpdate;
            _pendingConnectionWindowUpdate = 0;
            if (!_receiveWindow.Grow(increment, 0).IsError)
            {
                QueueWindowUpdate(0, increment);
            }
        }
    }

    /// <summary>
    /// The first phase of a graceful close (server role): GOAWAY with 2^31-1, so the client stops
    /// opening streams while those already on the wire are still served. Call <see cref="GoAway"/>
    /// after about a round trip.
    /// </summary>
    public void BeginDrain()
    {
        if (State == Http2ConnectionState.Open)
        {
            QueueGoAway(Http2Constants.StreamIdMask, Http2ErrorCode.NoError);
            State = Http2ConnectionState.Draining;
        }
    }

    /// <summary>
    /// The final GOAWAY: the last stream id we processed. Streams the peer opens above it are ignored
    /// (it knows they were not processed); those below finish, then <see cref="CanClose"/>.
    /// </summary>
    public void GoAway(Http2ErrorCode code = Http2ErrorCode.NoError)
    {
        if (State is Http2ConnectionState.Open or Http2ConnectionState.Draining
            || (State == Http2ConnectionState.GoingAway && _goAwaySentLastId == uint.MaxValue))
        {
            _goAwaySentLastId = _lastPeerStreamId;
            QueueGoAway(_lastPeerStreamId, code);
            State = Http2ConnectionState.GoingAway;
        }
    }

    /// <summary>The list is sent (or dropped); its array stays for the next head of this loop turn.</summary>
    private void ResetSendFields()
    {
        _sendFieldCount = 0;
        _sendRawLength = 0;
    }

    private void ClearSendFields()
    {
        ResetSendFields();
        if (_sendRaw is not null)
        {
            _pool.Return(_sendRaw);
            _sendRaw = null;
        }
    }
}
