using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Native.Http.Http2;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http.Upstream2;

/// <summary>
/// What the codec reports about streams and the connection: resets, GOAWAY; and the timers: the
/// keepalive PING that finds a dead peer, the SETTINGS ACK that must come in time.
/// </summary>
internal sealed partial class Http2UpstreamConnection : ITimerHandler
{
    private const int KeepaliveTimerKind = 0;
    private const int SettingsAckTimerKind = 1;

    private readonly TimerEntry _keepalive;
    private readonly Http2SettingsAckTimer _settingsAck;
    private long _bytesReadAtPing = -1;

    public Http2UpstreamStream? StreamById(uint streamId) => _open.GetValueOrDefault(streamId);

    /// <summary>
    /// A stream ended before both sides were done. One the peer did not process (REFUSED_STREAM, or
    /// above a GOAWAY's last id) is safe to send again anywhere; any other is a reset.
    /// </summary>
    internal void OnStreamReset(in Http2StreamReset reset)
    {
        if (!_open.Remove(reset.StreamId, out var stream))
        {
            return;
        }

        _pool.H2Stats.StreamsActive--;
        _pool.H2Stats.ResetsReceived += reset.ByPeer && !_goAwaySeen ? 1 : 0;
        var answered = stream.Answered;
        Forget(stream);
        var user = stream.TakeUser();
        if (reset.NotProcessed && !answered)
        {
            _pool.H2Stats.StreamsUnprocessed++;
            user?.OnUpstreamUnprocessed(stream, _goAwaySeen ? UnprocessedCause.AboveGoAwayLastStream : UnprocessedCause.RefusedStream);
        }
        else
        {
            user?.OnUpstreamReset(stream, answered);
        }

        var unreleased = stream.TakeUnreleased();
        if (unreleased > 0)
        {
            Codec.ReleaseReceived(0, unreleased);
        }

        _pool.Recycle(stream);
    }

    // Set while the codec reports the streams a GOAWAY cut (it counts the frame before it reports them).
    private bool _goAwaySeen => Codec.Counters.GoAwaysReceived > _goAwaysHandled;

    private long _goAwaysHandled;

    /// <summary>The peer's GOAWAY: no new stream here; those below its last id finish, then the connection closes.</summary>
    internal void OnGoAway(Http2ErrorCode code)
    {
        _goAwaysHandled = Codec.Counters.GoAwaysReceived;
        _pool.H2Stats.GoAwaysReceived++;
        _pool.H2Stats.ConnectionErrors += code == Http2ErrorCode.NoError ? 0 : 1;
        _retiring = true;
    }

    private void ArmKeepalive()
    {
        if (_pool.KeepaliveIntervalMs > 0)
        {
            _pool.Timers.Arm(_keepalive, _pool.NowMs, _pool.KeepaliveIntervalMs);
        }
    }

    /// <summary>
    /// Every interval a PING goes out; if by the timeout not one byte came back (its ACK or any
    /// other frame: as Envoy, any frame proves the peer alive), the connection is dead and closed,
    /// and its streams end as resets, which their exchanges retry or answer.
    /// </summary>
    public void OnTimer(TimerEntry timer)
    {
        if (Closed || !_connected)
        {
            return;
        }

        if (timer.Kind == SettingsAckTimerKind)
        {
            OnSettingsAckTimeout();
            return;
        }

        if (_bytesReadAtPing < 0)
        {
            _bytesReadAtPing = Connection.BytesRead;
            var span = Writer.GetSpan(Http2Constants.FrameHeaderLength + Http2Constants.PingPayloadLength);
            Writer.Advance(Http2FrameWriter.WritePing(span, (ulong)_pool.NowMs, ack: false));
            Flush();
            _pool.Timers.Arm(_keepalive, _pool.NowMs, _pool.KeepaliveTimeoutMs);
            return;
        }

        if (Connection.BytesRead == _bytesReadAtPing)
        {
            _pool.H2Stats.KeepaliveTimeouts++;
            Connection.Close(CloseMode.Abort);
            return;
        }

        _bytesReadAtPing = -1;
        ArmKeepalive();
    }

    /// <summary>
    /// The server never acknowledged our SETTINGS: GOAWAY SETTINGS_TIMEOUT goes out and the
    /// connection closes, as after any connection error. Streams still waiting for the server's
    /// SETTINGS fail as a connect would (their exchanges move on to another host); open ones end
    /// as resets, which their exchanges retry or answer by the cluster's rules.
    /// </summary>
    private void OnSettingsAckTimeout()
    {
        if (!Http2SettingsAckTimer.Expire(Codec))
        {
            return;
        }

        _pool.H2Stats.SettingsTimeouts++;
        _pool.H2Stats.ConnectionErrors++;
        _retiring = true;
        Flush();
        Connection.Close(CloseMode.FlushWrite);
    }

    public void OnTimerFault() => Connection.Close(CloseMode.Abort);
}
