using System.Buffers;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Native.Network;

namespace MeshEdge.Native.Http.Upstream2;

/// <summary>
/// The socket's events: the connect, bytes in (through the codec, whose events go to the streams),
/// and the end, which ends every stream on the connection: a stream that never left is a failed
/// connect to its exchange, one that did is a reset.
/// </summary>
internal sealed partial class Http2UpstreamConnection
{
    // A frame that straddles two blocks of the input is read from here: our SETTINGS_MAX_FRAME_SIZE and its header at most.
    private byte[]? _joined;
    private bool _receiving;

    /// <summary>
    /// TCP (and TLS) is up: the preface goes out, but streams wait for the server's SETTINGS (its
    /// first frame), so that its SETTINGS_MAX_CONCURRENT_STREAMS is known before we open any: a
    /// server that allows fewer than we would send need not refuse the rest.
    /// </summary>
    public void OnConnected(Connection connection)
    {
        _connected = true;
        _pool.OnConnected(this);
        Codec.Start(Writer);
        Flush();
        _settingsAck.Arm(_pool.Timers, _pool.NowMs);
        ArmKeepalive();
    }

    public void OnConnectFailed(Connection connection, int errno)
    {
        _pool.OnConnectFailed(this);
        Closed = true;
        FailWaiters();
        Codec.Dispose();
    }

    public void OnData(Connection connection)
    {
        var input = connection.Input;
        var events = new Http2UpstreamEvents(this);
        _receiving = true;
        while (!input.IsEmpty && Codec.State != Http2ConnectionState.Closed && !Closed)
        {
            var first = input.Head!.Readable;
            var consumed = Codec.Receive(first, ref events);
            if (consumed > 0)
            {
                input.Consume(consumed, _blocks);
                Ready |= Codec.State != Http2ConnectionState.Closed;
                continue;
            }

            // The first block ends inside a frame: join it with what follows, one frame's worth.
            if (input.Length == first.Length)
            {
                break;
            }

            _joined ??= ArrayPool<byte>.Shared.Rent(_maxFrameLength);
            var joined = _joined.AsSpan(0, (int)Math.Min(input.Length, _joined.Length));
            input.AsSequence().Slice(0, joined.Length).CopyTo(joined);
            consumed = Codec.Receive(joined, ref events);
            if (consumed == 0)
            {
                break;
            }

            input.Consume(consumed, _blocks);
            Ready |= Codec.State != Http2ConnectionState.Closed;
        }

        _receiving = false;
        ReturnJoined();
        if (Closed)
        {
            return;
        }

        ReportRefused();
        Flush();
        if (Codec.State == Http2ConnectionState.Closed)
        {
            // Our GOAWAY for the peer's protocol error is queued: it goes out, then the socket closes.
            _pool.H2Stats.ConnectionErrors++;
            Connection.Close(CloseMode.FlushWrite);
            return;
        }

        AfterStreamEnded();
    }

    public void OnReadEof(Connection connection) => connection.Close(CloseMode.Abort);

    // Each stream's request body waits for window in the stream; the socket's own queue stays
    // small because DATA leaves only as the peer's windows allow.
    public void OnAboveHighWatermark(Connection connection)
    {
    }

    public void OnBelowLowWatermark(Connection connection)
    {
    }

    /// <summary>The worker drains: an idle connection closes now, a busy one when its streams end.</summary>
    public void OnDrain(Connection connection)
    {
        _retiring = true;
        if (StreamCount == 0)
        {
            Retire();
        }
    }

    public void OnClosed(Connection connection, CloseReason reason)
    {
        if (Closed)
        {
            return;
        }

        OnGone(_connected);
        _staging.Clear(_blocks);
        ReturnJoined();
        foreach (var stream in _open.Values.ToArray())
        {
            _open.Remove(stream.Id);
            _pool.H2Stats.StreamsActive--;
            var answered = stream.Answered;
            Forget(stream);
            stream.TakeUser()?.OnUpstreamReset(stream, answered);
            _pool.Recycle(stream);
        }

        // Streams leased but not yet sent (none: the head goes at once) and refused ones end here too.
        foreach (var stream in _refused.ToArray())
        {
            Forget(stream);
            stream.TakeUser()?.OnUpstreamUnprocessed(stream, UnprocessedCause.RefusedStream);
            _pool.Recycle(stream);
        }

        FailWaiters();
        Codec.Dispose();
    }

    /// <summary>The socket is gone: the pool's books and the breaker's slot, once.</summary>
    private void OnGone(bool connected)
    {
        Closed = true;
        Ready = false;
        _pool.Timers.Cancel(_keepalive);
        _settingsAck.Cancel(_pool.Timers);
        _pool.OnGone(this, connected);
    }

    /// <summary>Streams that never left: to their exchanges a failed connect, which moves on to another host.</summary>
    private void FailWaiters()
    {
        foreach (var stream in _waiting.ToArray())
        {
            _waiting.Remove(stream);
            stream.TakeUser()?.OnUpstreamConnectFailed(stream);
            _pool.Recycle(stream);
        }

        _waiting.Clear();
    }

    /// <summary>A head that found no room (<see cref="Http2UpstreamStream.Refused"/>): told after the exchange's send returned, never inside it.</summary>
    internal void RefuseLater(Http2UpstreamStream stream)
    {
        _refused.Add(stream);
        _pool.ScheduleRefusals(this);
    }

    internal void ReportRefused()
    {
        while (_refused.Count > 0)
        {
            var stream = _refused[^1];
            _refused.RemoveAt(_refused.Count - 1);
            Forget(stream);
            _pool.H2Stats.StreamsUnprocessed++;
            stream.TakeUser()?.OnUpstreamUnprocessed(stream, UnprocessedCause.RefusedStream);
            _pool.Recycle(stream);
        }
    }

    private void ReturnJoined()
    {
        if (_joined is not null)
        {
            ArrayPool<byte>.Shared.Return(_joined);
            _joined = null;
        }
    }
}
