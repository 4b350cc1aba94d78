namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>Field blocks: HEADERS and CONTINUATION joined, decoded through HPACK, validated, delivered.</summary>
internal sealed partial class Http2Connection
{
    private uint _blockStreamId;
    private bool _blockEndStream;
    private Http2BlockDisposition _blockDisposition;
    private Http2ErrorCode _blockResetCode;
    private int _blockContinuations;
    private Http2FieldRef[]? _fieldRefs;
    private byte[]? _receiveFieldBytes;

    private void OnHeadersFrame<THandler>(in Http2Frame frame, Http2Error streamError, ref THandler handler)
        where THandler : IHttp2ConnectionHandler, allows ref struct
    {
        var id = frame.StreamId;
        Http2BlockDisposition disposition;
        switch (Classify(id, out var slot))
        {
            case Http2StreamStatus.Active:
                disposition = _streams[slot].CanReceive ? Http2BlockDisposition.Deliver : Http2BlockDisposition.Reset;
                _blockResetCode = Http2ErrorCode.StreamClosed;
                break;
            case Http2StreamStatus.Idle:
                // Only a client opens streams: we never enable push, so a server's HEADERS on a new id is wrong (§5.1.1, §8.4).
                if (_role == Http2ConnectionRole.Client || !IsPeerInitiated(id))
                {
                    Fail(Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.FrameOnIdleStream));
                    return;
                }

                _lastPeerStreamId = id;
                disposition = id > _goAwaySentLastId ? Http2BlockDisposition.Ignore
                    : _streams.Count >= _options.MaxConcurrentStreams ? Http2BlockDisposition.Refuse
                    : Http2BlockDisposition.Open;
                break;
            default:
                if (!_streams.TryRecall(id, out var byOurReset))
                {
                    Fail(Http2Error.Connection(Http2ErrorCode.ProtocolError, Http2ErrorReason.StreamIdNotIncreasing));
                    return;
                }

                disposition = byOurReset ? Http2BlockDisposition.Ignore : Http2BlockDisposition.ClosedStream;
                break;
        }

        if (streamError.IsError && disposition is Http2BlockDisposition.Open or Http2BlockDisposition.Deliver)
        {
            disposition = Http2BlockDisposition.Reset;
            _blockResetCode = streamError.Code;
        }

        _blockStreamId = id;
        _blockEndStream = frame.EndStream;
        _blockDisposition = disposition;
        _blockContinuations = 0;
        if (frame.EndHeaders)
        {
            CompleteBlock(frame.Data, ref handler);
        }
        else if (!_blockBuffer.TryAppend(frame.Data))
        {
            FailContinuationFlood();
        }
    }

    private void OnContinuation<THandler>(in Http2Frame frame, ref THandler handler)
        where THandler : IHttp2ConnectionHandler, allows ref struct
    {
        if (++_blockContinuations > _options.MaxContinuationFrames || !_blockBuffer.TryAppend(frame.Data))
        {
            FailContinuationFlood();
            return;
        }

        if (frame.EndHeaders)
        {
            CompleteBlock(_blockBuffer.Span, ref handler);
            _blockBuffer.Clear();
        }
    }

    private void FailContinuationFlood()
    {
        _counters.ContinuationFloods++;
        Fail(Http2Error.Connection(Http2ErrorCode.EnhanceYourCalm, Http2ErrorReason.ContinuationFlood));
    }

    private void CompleteBlock<THandler>(ReadOnlySpan<byte> block, ref THandler handler)
        where THandler : IHttp2ConnectionHandler, allows ref struct
    {
        var id = _blockStreamId;
        var slot = _blockDisposition == Http2BlockDisposition.Deliver ? _streams.Find(id) : -1;
        var trailers = slot >= 0 && _streams[slot].HeadReceived;
        var response = _role == Http2ConnectionRole.Client && !trailers;
        // Rented once per Receive call, not per block: the views handed out die with the call.
        var fieldBytes = _receiveFieldBytes ??= _pool.Rent(_options.HeaderLimits.MaxHeaderListSize);
        _fieldRefs ??= new Http2FieldRef[_options.HeaderLimits.MaxHeaderCount];
        var collector = new Http2FieldCollector(fieldBytes, _fieldRefs, response, trailers);
        var result = _decoder.Decode(block, ref collector);
        if (result.Status == Hpack.HpackDecodeStatus.CompressionError)
        {
            _counters.CompressionErrors++;
            Fail(result.ToHttp2Error(id));
            return;
        }

        switch (_blockDisposition)
        {
            case Http2BlockDisposition.Ignore:
                return;
            case Http2BlockDisposition.ClosedStream:
                Fail(Http2Error.Connection(Http2ErrorCode.StreamClosed, Http2ErrorReason.StreamClosed));
                return;
            case Http2BlockDisposition.Refuse:
                RefuseStream(id);
                return;
            case Http2BlockDisposition.Reset:
                ResetForPeerError(id, _blockResetCode, ref handler);
                return;
            case Http2BlockDisposition.Deliver when slot < 0:
                // Reset by the session while its CONTINUATIONs were on the way.
                return;
        }

        if (result.Status == Hpack.HpackDecodeStatus.LimitExceeded)
        {
            _counters.HeaderListTooLarge++;
            ResetForPeerError(id, Http2ErrorCode.ProtocolError, ref handler);
            return;
        }

        collector.Finish();
        if (collector.Error != Http2FieldError.None)
        {
            _counters.MalformedHeaders++;
            ResetForPeerError(id, Http2ErrorCode.ProtocolError, ref handler);
            return;
        }

        if (_blockDisposition == Http2BlockDisposition.Open)
        {
            OpenPeerStream(id, collector, ref handler);
        }
        else
        {
            DeliverOnStream(slot, collector, ref handler);
        }
    }

    /// <summary>The end of a Receive call: the array its field blocks were decoded into goes back to the pool.</summary>
    private void ReturnReceiveFieldBytes()
    {
        if (_receiveFieldBytes is { } bytes)
        {
            _receiveFieldBytes = null;
            _pool.Return(bytes);
        }
    }

    private void OpenPeerStream<THandler>(uint id, in Http2FieldCollector collector, ref THandler handler)
        where THandler : IHttp2ConnectionHandler, allows ref struct
    {
        var endStream = _blockEndStream;
        if (endStream && collector.Pseudo.ContentLength > 0)
        {
            _counters.MalformedHeaders++;
            ResetForPeerError(id, Http2ErrorCode.ProtocolError, ref handler);
            return;
        }

        var slot = _streams.Add(id, endStream ? Http2StreamState.HalfClosedRemote : Http2StreamState.Open, _peerInitialWindowSize, _options.InitialStreamWindowSize);
        ref var stream = ref _streams[slot];
        stream.ContentLength = collector.Pseudo.ContentLength;
        stream.HeadReceived = true;
        _counters.StreamsOpened++;
        _streamsOpened++;
        IdleSince = -1;
        handler.OnHeaders(id, Http2HeadersKind.Request, collector.View, endStream);
    }

    private void DeliverOnStream<THandler>(int slot, in Http2FieldCollector collector, ref THandler handler)
        where THandler : IHttp2ConnectionHandler, allows ref struct
    {
        ref var stream = ref _streams[slot];
        var id = stream.Id;
        var endStream = _blockEndStream;
        Http2HeadersKind kind;
        if (stream.HeadReceived)
        {
            kind = Http2HeadersKind.Trailers;
            var lengthWrong = _role == Http2ConnectionRole.Server && stream.ContentLength >= 0 && stream.DataReceived != stream.ContentLength;
            if (!endStream || lengthWrong)
            {
                _counters.MalformedHeaders++;
                ResetForPeerError(id, Http2ErrorCode.ProtocolError, ref handler);
                return;
            }
        }
        else if (collector.Pseudo.Status < 200)
        {
            kind = Http2HeadersKind.InformationalResponse;
            if (endStream)
            {
                _counters.MalformedHeaders++;
                ResetForPeerError(id, Http2ErrorCode.ProtocolError, ref handler);
                return;
            }
        }
        else
        {
            kind = Http2HeadersKind.Response;
            stream.HeadReceived = true;
            stream.ContentLength = collector.Pseudo.ContentLength;
        }

        if (endStream)
        {
            CloseRemoteSide(ref stream);
        }

        handler.OnHeaders(id, kind, collector.View, endStream);
        RemoveIfClosed(id);
    }
}
