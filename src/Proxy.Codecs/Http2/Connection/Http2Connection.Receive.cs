namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>Reading: frames in, state changed, events out. Field blocks are in Http2Connection.Headers.cs.</summary>
internal sealed partial class Http2Connection
{
    /// <summary>
    /// Reads every whole frame at the start of <paramref name="input"/> and returns how many bytes it
    /// took; keep the rest (a frame not yet whole) and call again with more appended. Stops at a
    /// connection error: <see cref="State"/> is then Closed and the GOAWAY is queued. Never throws on
    /// what the peer sends.
    /// </summary>
    public int Receive<THandler>(ReadOnlySpan<byte> input, ref THandler handler)
        where THandler : IHttp2ConnectionHandler, allows ref struct
    {
        if (State == Http2ConnectionState.New)
        {
            throw new InvalidOperationException("Start the connection before it receives");
        }

        var consumed = 0;
        if (!_prefaceReceived && State != Http2ConnectionState.Closed)
        {
            var preface = Http2Preface.Read(input);
            if (preface.Status == Http2ReadStatus.NeedMoreData)
            {
                return 0;
            }

            if (preface.Status != Http2ReadStatus.Complete)
            {
                Fail(preface.Error);
                return 0;
            }

            _prefaceReceived = true;
            consumed = Http2Preface.Length;
        }

        while (State != Http2ConnectionState.Closed)
        {
            var result = _reader.Read(input[consumed..], out var frame);
            if (result.Status == Http2ReadStatus.NeedMoreData)
            {
                break;
            }

            if (result.Status == Http2ReadStatus.ConnectionError)
            {
                CountReaderError(result.Error);
                Fail(result.Error);
                break;
            }

            consumed += result.FrameLength;
            Dispatch(frame, result.Status == Http2ReadStatus.StreamError ? result.Error : Http2Error.None, ref handler);
        }

        ReturnReceiveFieldBytes();
        return consumed;
    }

    private void Dispatch<THandler>(in Http2Frame frame, Http2Error streamError, ref THandler handler)
        where THandler : IHttp2ConnectionHandler, allows ref struct
    {
        if (!CheckEmptyFrame(frame))
        {
            return;
        }

        switch (frame.Type)
        {
            case Http2FrameType.Data:
                OnData(frame, ref handler);
                break;
            case Http2FrameType.Headers:
                OnHeadersFrame(frame, streamError, ref handler);
                break;
            case Http2FrameType.Continuation:
                OnContinuation(frame, ref handler);
                break;
            case Http2FrameType.Priority:
                OnPriority(frame, streamError, ref handler);
                break;
            case Http2FrameType.RstStream:
                OnRstStream(frame, ref handler);
                break;
            case Http2FrameType.Settings:
                OnSettings(frame, ref handler);
                break;
            case Http2FrameType.PushPromise:
                Fail(Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.PushRefused));
                break;
            case Http2FrameType.Ping:
                OnPing(frame);
                break;
            case Http2FrameType.GoAway:
                OnGoAway(frame, ref handler);
                break;
            case Http2FrameType.WindowUpdate:
                OnWindowUpdate(frame, streamError, ref handler);
                break;
            default:
                // §5.5: extension frames are ignored.
                break;
        }
    }

    private void OnData<THandler>(in Http2Frame frame, ref THandler handler)
        where THandler : IHttp2ConnectionHandler, allows ref struct
    {
        var id = frame.StreamId;
        var status = Classify(id, out var slot);
        if (status == Http2StreamStatus.Idle)
        {
            Fail(Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.FrameOnIdleStream));
            return;
        }

        // §6.9: DATA counts against the connection's window whatever its stream's state.
        var length = frame.FlowControlledLength;
        var error = _receiveWindow.Consume(length, 0);
        if (error.IsError)
        {
            _counters.FlowControlViolations++;
            Fail(error);
            return;
        }

        if (status == Http2StreamStatus.Closed)
        {
            ReleaseConnectionWindow(length);
            if (!_streams.TryRecall(id, out var byOurReset) || !byOurReset)
            {
                ResetForPeerError(id, Http2ErrorCode.StreamClosed, ref handler);
            }

            return;
        }

        ref var stream = ref _streams[slot];
        if (!stream.CanReceive || !stream.HeadReceived)
        {
            DropData(id, length, stream.CanReceive ? Http2ErrorCode.ProtocolError : Http2ErrorCode.StreamClosed, ref handler);
            return;
        }

        if (stream.ReceiveWindow.Consume(length, id).IsError)
        {
            _counters.FlowControlViolations++;
            DropData(id, length, Http2ErrorCode.FlowControlError, ref handler);
            return;
        }

        stream.DataReceived += frame.Data.Length;
        var endStream = frame.EndStream;
        if (stream.ContentLength >= 0 && (stream.DataReceived > stream.ContentLength
            || (endStream && _role == Http2ConnectionRole.Server && stream.DataReceived != stream.ContentLength)))
        {
            _counters.MalformedHeaders++;
            DropData(id, length, Http2ErrorCode.ProtocolError, ref handler);
            return;
        }

        // Padding is never seen by the consumer, so it is released here.
        var padding = length - frame.Data.Length;
        if (padding > 0)
        {
            ReleaseReceived(id, padding);
        }

        if (endStream)
        {
            CloseRemoteSide(ref stream);
        }

        handler.OnData(id, frame.Data, endStream);
        RemoveIfClosed(id);
    }

    /// <summary>
    /// DATA its stream may not have (not open for it, past its window, past its content-length):
    /// the connection's window still takes it back (§6.9, the bytes were counted), and the stream is reset.
    /// </summary>
    private void DropData<THandler>(uint id, int length, Http2ErrorCode code, ref THandler handler)
        where THandler : IHttp2ConnectionHandler, allows ref struct
    {
        ReleaseConnectionWindow(length);
        ResetForPeerError(id, code, ref handler);
    }

    private void OnRstStream<THandler>(in Http2Frame frame, ref THandler handler)
        where THandler : IHttp2ConnectionHandler, allows ref struct
    {
        var status = Classify(frame.StreamId, out var slot);
        if (status == Http2StreamStatus.Idle)
        {
            Fail(Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.FrameOnIdleStream));
            return;
        }

        if (status == Http2StreamStatus.Closed)
        {
            return;
        }

        _counters.ResetsReceived++;
        var premature = _role == Http2ConnectionRole.Server && !_streams[slot].HeadSent;
        RemoveStream(slot, byOurReset: false);
        var notProcessed = _role == Http2ConnectionRole.Client && frame.ErrorCode == Http2ErrorCode.RefusedStream;
        handler.OnStreamReset(new Http2StreamReset(frame.StreamId, frame.ErrorCode, ByPeer: true, notProcessed));
        if (premature)
        {
            CountPrematureReset(provoked: false);
        }
    }

    private void OnSettings<THandler>(in Http2Frame frame, ref THandler handler)
        where THandler : IHttp2ConnectionHandler, allows ref struct
    {
        if (frame.IsAck)
        {
            SettingsPendingSince = -1;
            return;
        }

        if (!_control.HasRoom)
        {
            _counters.SettingsFloods++;
            Fail(Http2Error.Connection(Http2ErrorCode.EnhanceYourCalm, Http2ErrorReason.SettingsFlood));
            return;
        }

        var opened = false;
        foreach (var setting in frame.Settings)
        {
            switch (setting.Id)
            {
                case Http2SettingId.HeaderTableSize:
                    _encoder.SetPeerTableSize(setting.Value);
                    break;
                case Http2SettingId.EnablePush when setting.Value == 1 && _role == Http2ConnectionRole.Client:
                    Fail(Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.EnablePushFromServer));
                    return;
                case Http2SettingId.MaxConcurrentStreams:
                    _peerMaxConcurrentStreams = setting.Value;
                    break;
                case Http2SettingId.InitialWindowSize:
                    if (!ResizeSendWindows((int)setting.Value, ref opened))
                    {
                        return;
                    }

                    break;
                case Http2SettingId.MaxFrameSize:
                    _peerMaxFrameSize = (int)setting.Value;
                    break;
            }
        }

        var span = _control.Reserve(Http2Constants.FrameHeaderLength);
        _control.Commit(Http2FrameWriter.WriteSettingsAck(span));
        if (opened)
        {
            NotifyOpenedWindows(ref handler);
        }
    }

    /// <summary>§6.9.2: a new SETTINGS_INITIAL_WINDOW_SIZE moves every stream's send window by the difference.</summary>
    private bool ResizeSendWindows(int size, ref bool opened)
    {
        for (var i = 0; i < _streams.Count; i++)
        {
            var error = _streams[i].SendWindow.Resize(_peerInitialWindowSize, size);
            if (error.IsError)
            {
                _counters.WindowOverflows++;
                Fail(error);
                return false;
            }
        }

        opened |= size > _peerInitialWindowSize;
        _peerInitialWindowSize = size;
        return true;
    }

    private void OnPing(in Http2Frame frame)
    {
        if (frame.IsAck)
        {
            return;
        }

        if (!_control.HasRoom)
        {
            _counters.PingFloods++;
            Fail(Http2Error.Connection(Http2ErrorCode.EnhanceYourCalm, Http2ErrorReason.PingFlood));
            return;
        }

        var span = _control.Reserve(Http2Constants.FrameHeaderLength + Http2Constants.PingPayloadLength);
        _control.Commit(Http2FrameWriter.WritePing(span, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(frame.Data), ack: true));
    }

    private void OnGoAway<THandler>(in Http2Frame frame, ref THandler handler)
        where THandler : IHttp2ConnectionHandler, allows ref struct
    {
        _counters.GoAwaysReceived++;
        _goAwayReceived = true;
        if (State is Http2ConnectionState.Open or Http2ConnectionState.Draining)
        {
            State = Http2ConnectionState.GoingAway;
        }

        // §6.8: streams we opened above the last id were not processed and may be retried elsewhere.
        for (var i = _streams.Count - 1; i >= 0; i--)
        {
            var id = _streams[i].Id;
            if (id > frame.LastStreamId && !IsPeerInitiated(id))
            {
                RemoveStream(i, byOurReset: false);
                handler.OnStreamReset(new Http2StreamReset(id, Http2ErrorCode.RefusedStream, ByPeer: true, NotProcessed: true));

                // The handler may have changed the table: start again from its end.
                i = _streams.Count;
            }
        }

        handler.OnGoAway(frame.LastStreamId, frame.ErrorCode, frame.Data);
    }

    private void OnWindowUpdate<THandler>(in Http2Frame frame, Http2Error streamError, ref THandler handler)
        where THandler : IHttp2ConnectionHandler, allows ref struct
    {
        if (!CheckWindowUpdateBudget())
        {
            return;
        }

        var id = frame.StreamId;
        if (id == 0)
        {
            var wasClosed = _sendWindow.Sendable == 0;
            var error = _sendWindow.Grow(frame.WindowIncrement, 0);
            if (error.IsError)
            {
                _counters.WindowOverflows++;
                Fail(error);
                return;
            }

            if (wasClosed && _sendWindow.Sendable > 0)
            {
                NotifyOpenedWindows(ref handler);
            }

            return;
        }

        var status = Classify(id, out var slot);
        if (status == Http2StreamStatus.Idle)
        {
            Fail(Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.FrameOnIdleStream));
            return;
        }

        if (status == Http2StreamStatus.Closed)
        {
            return;
        }

        if (streamError.IsError)
        {
            _counters.ZeroWindowIncrements++;
            ResetForPeerError(id, streamError.Code, ref handler);
            return;
        }

        ref var stream = ref _streams[slot];
        if (stream.SendWindow.Grow(frame.WindowIncrement, id).IsError)
        {
            _counters.WindowOverflows++;
            ResetForPeerError(id, Http2ErrorCode.FlowControlError, ref handler);
            return;
        }

        if (stream.Blocked && stream.SendWindow.Sendable > 0 && _sendWindow.Sendable > 0)
        {
            stream.Blocked = false;
            handler.OnWindowOpened(id);
        }
    }

    private void OnPriority<THandler>(in Http2Frame frame, Http2Error streamError, ref THandler handler)
        where THandler : IHttp2ConnectionHandler, allows ref struct
    {
        if (CheckPriorityBudget() && streamError.IsError)
        {
            ResetForPeerError(frame.StreamId, streamError.Code, ref handler);
        }
    }

    /// <summary>Every blocked stream whose window and the connection's are open hears it may send.</summary>
    private void NotifyOpenedWindows<THandler>(ref THandler handler)
        where THandler : IHttp2ConnectionHandler, allows ref struct
    {
        for (var i = 0; i < _streams.Count && _sendWindow.Sendable > 0; i++)
        {
            ref var stream = ref _streams[i];
            if (stream.Blocked && stream.SendWindow.Sendable > 0)
            {
                stream.Blocked = false;
                var id = stream.Id;
                handler.OnWindowOpened(id);

                // The handler may have sent or reset streams, moving slots: scan again (each stream is told once).
                i = -1;
            }
        }
    }

    private static void CloseRemoteSide(ref Http2Stream stream) =>
        stream.State = stream.State == Http2StreamState.HalfClosedLocal ? Http2StreamState.Closed : Http2StreamState.HalfClosedRemote;

    private static void CloseLocalSide(ref Http2Stream stream) =>
        stream.State = stream.State == Http2StreamState.HalfClosedRemote ? Http2StreamState.Closed : Http2StreamState.HalfClosedLocal;

    /// <summary>A stream closed on both sides leaves the table, after the event that closed it.</summary>
    private void RemoveIfClosed(uint streamId)
    {
        var slot = _streams.Find(streamId);
        if (slot >= 0 && _streams[slot].State == Http2StreamState.Closed)
        {
            RemoveStream(slot, byOurReset: false);
        }
    }

    private void CountReaderError(Http2Error error)
    {
        switch (error.Reason)
        {
            case Http2ErrorReason.ZeroWindowIncrement:
                _counters.ZeroWindowIncrements++;
                break;
        }
    }
}
