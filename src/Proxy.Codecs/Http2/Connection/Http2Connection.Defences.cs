namespace MeshEdge.Codecs.Http2.Connection;

/// <summary>
/// The budgets that stop a peer from making the connection work or hold memory for nothing. Each
/// trips with GOAWAY ENHANCE_YOUR_CALM and bumps its counter; the defaults are in
/// <see cref="Http2ConnectionOptions"/>.
/// </summary>
internal sealed partial class Http2Connection
{
    private int _consecutiveEmptyFrames;
    private long _priorityFrames;
    private long _windowUpdateFrames;
    private long _dataFramesSent;
    private long _streamsOpened;
    private long _closedStreams;
    private long _prematureResets;

    /// <summary>
    /// CVE-2019-9518: DATA without content or END_STREAM, and HEADERS or CONTINUATION without
    /// content or END_HEADERS, cost us work and carry nothing; only so many may come in a row.
    /// </summary>
    private bool CheckEmptyFrame(in Http2Frame frame)
    {
        var empty = frame.Type switch
        {
            Http2FrameType.Data => frame.Data.IsEmpty && !frame.EndStream,
            Http2FrameType.Headers or Http2FrameType.Continuation => frame.Data.IsEmpty && !frame.EndHeaders,
            _ => false,
        };
        if (!empty)
        {
            _consecutiveEmptyFrames = 0;
            return true;
        }

        if (++_consecutiveEmptyFrames <= _options.MaxConsecutiveEmptyFrames)
        {
            return true;
        }

        _counters.EmptyFrameFloods++;
        Fail(Http2Error.Connection(Http2ErrorCode.EnhanceYourCalm, Http2ErrorReason.EmptyFrameFlood));
        return false;
    }

    /// <summary>CVE-2019-9513: PRIORITY frames are parsed and ignored, but not without end.</summary>
    private bool CheckPriorityBudget()
    {
        if (++_priorityFrames <= (long)_options.MaxPriorityFramesPerStream * (1 + _streamsOpened))
        {
            return true;
        }

        _counters.PriorityFloods++;
        Fail(Http2Error.Connection(Http2ErrorCode.EnhanceYourCalm, Http2ErrorReason.PriorityFlood));
        return false;
    }

    /// <summary>WINDOW_UPDATE frames beyond what our DATA and the streams can explain (Envoy's rule: 5 + 2 per stream + N per DATA frame sent).</summary>
    private bool CheckWindowUpdateBudget()
    {
        if (++_windowUpdateFrames <= 5 + (2 * _streamsOpened) + ((long)_options.MaxWindowUpdatesPerDataFrameSent * _dataFramesSent))
        {
            return true;
        }

        _counters.WindowUpdateFloods++;
        Fail(Http2Error.Connection(Http2ErrorCode.EnhanceYourCalm, Http2ErrorReason.WindowUpdateFlood));
        return false;
    }

    /// <summary>
    /// A reset that counts against the budget: the peer's before our response began (rapid reset,
    /// CVE-2023-44487), or ours that the peer provoked with a stream error (MadeYouReset,
    /// CVE-2025-8671). As Envoy: past the floor of closed streams, half of them premature ends the
    /// connection; past the hard budget, so does any ratio.
    /// </summary>
    private void CountPrematureReset(bool provoked)
    {
        _counters.PrematureResets++;
        _counters.ResetsProvoked += provoked ? 1 : 0;
        _prematureResets++;
        var ratioSpent = _closedStreams >= _options.PrematureResetMinStreams && _prematureResets * 2 >= _closedStreams;
        if (ratioSpent || _prematureResets >= _options.MaxPrematureResets)
        {
            _counters.RapidResetTrips++;
            Fail(Http2Error.Connection(Http2ErrorCode.EnhanceYourCalm, Http2ErrorReason.RapidReset));
        }
    }

    /// <summary>
    /// A stream error for the peer's fault (§5.4.2): RST_STREAM queued, the stream out of the table
    /// (the handler hears it if it knew the stream), its id remembered so frames still in flight are
    /// ignored, and the reset counted against the budget.
    /// </summary>
    private void ResetForPeerError<THandler>(uint streamId, Http2ErrorCode code, ref THandler handler)
        where THandler : IHttp2ConnectionHandler, allows ref struct
    {
        if (!QueuePeerTriggeredRst(streamId, code))
        {
            return;
        }

        _counters.StreamErrors++;
        var slot = _streams.Find(streamId);
        if (slot >= 0)
        {
            RemoveStream(slot, byOurReset: true);
            handler.OnStreamReset(new Http2StreamReset(streamId, code, ByPeer: false, NotProcessed: false));
        }
        else
        {
            _streams.Remember(streamId, byOurReset: true);
            _closedStreams++;
        }

        CountPrematureReset(provoked: true);
    }

    /// <summary>A stream over the concurrency limit: REFUSED_STREAM, safe for the peer to retry (§8.7); not a premature reset.</summary>
    private void RefuseStream(uint streamId)
    {
        if (QueuePeerTriggeredRst(streamId, Http2ErrorCode.RefusedStream))
        {
            _counters.RefusedStreams++;
            _streams.Remember(streamId, byOurReset: true);
        }
    }

    /// <summary>An RST_STREAM the peer's frames made us send counts against the control queue's cap.</summary>
    private bool QueuePeerTriggeredRst(uint streamId, Http2ErrorCode code)
    {
        if (!_control.HasRoom)
        {
            _counters.ControlQueueOverflows++;
            Fail(Http2Error.Connection(Http2ErrorCode.EnhanceYourCalm, Http2ErrorReason.ControlQueueOverflow));
            return false;
        }

        QueueRstStream(streamId, code);
        return true;
    }
}
