using System.Buffers;
using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Native.Network;

namespace MeshEdge.Native.Http.Http2;

/// <summary>
/// Reading: the input's blocks fed to the frame layer, events turned into streams and exchange
/// calls. A frame lies in one block mostly; one that straddles two is joined in a scratch buffer
/// rented for the moment.
/// </summary>
internal sealed partial class Http2DownstreamConnection
{
    /// <summary>Room for the largest frame we accept (we advertise the default SETTINGS_MAX_FRAME_SIZE) and the preface.</summary>
    private const int JoinBytes = Http2Constants.FrameHeaderLength + Http2Constants.DefaultMaxFrameSize + Http2Preface.Length;

    private byte[]? _join;
    private bool _readEof;

    // Inside the read loop: a close waits for its end, since closing clears the input the frame
    // layer is reading (and disposes the layer itself once the socket is gone).
    private bool _receiving;

    /// <summary>
    /// The listener's current version on this worker, looked up once per read for every stream the
    /// read opens (a live config change makes a new one; a removed listener has none, and its
    /// connections drain on the version they had).
    /// </summary>
    internal ListenerRuntime CurrentListener { get; private set; }

    private void ProcessInput()
    {
        CurrentListener = _worker.Listener(_listener.Index) ?? _listener;
        var input = _downstream.Input;
        var events = new Http2FrameEvents(this);
        _receiving = true;
        while (!input.IsEmpty && _h2.State != Http2ConnectionState.Closed && !_closed)
        {
            var head = input.Head!;
            var consumed = _h2.Receive(head.Readable, ref events);
            if (consumed > 0)
            {
                input.Consume(consumed, _worker.Pool);
                continue;
            }

            if (head.Next is null)
            {
                break;
            }

            // The next frame starts in this block and ends in a later one.
            _join ??= ArrayPool<byte>.Shared.Rent(JoinBytes);
            var joined = (int)Math.Min(input.Length, _join.Length);
            input.AsSequence().Slice(0, joined).CopyTo(_join);
            consumed = _h2.Receive(_join.AsSpan(0, joined), ref events);
            if (consumed == 0)
            {
                break;
            }

            input.Consume(consumed, _worker.Pool);
        }

        _receiving = false;
        ReturnJoinBuffer();
        if (_closed)
        {
            return;
        }

        if (_h2.State == Http2ConnectionState.Closed)
        {
            // A connection error: its GOAWAY is queued; nothing more is read.
            input.Clear(_worker.Pool);
        }

        SyncCounters();
        FlushOutput();
        CloseIfDone();
    }

    private void ReturnJoinBuffer()
    {
        if (_join is { } join)
        {
            _join = null;
            ArrayPool<byte>.Shared.Return(join);
        }
    }

    /// <summary>A request head opened stream <paramref name="id"/>: a pooled stream and its exchange take it, unless overloaded.</summary>
    internal void OnRequestHeaders(uint id, in Http2HeaderFields fields, bool endStream)
    {
        if (!_worker.Overload.TryAdmit(rpc: false))
        {
            // The memory budget's reject stage: the client may retry this stream elsewhere (it was
            // not processed), which a 503 would not tell it.
            _h2.ResetStream(id, Http2ErrorCode.RefusedStream);
            _stats.Http2StreamsRefused++;
            return;
        }

        if (_worker.KeepAliveDisabled && !_draining)
        {
            // The disable_keepalive stage: this stream is served, and GOAWAY sends the client's next ones elsewhere.
            OnDrain(_downstream);
        }

        var stream = _pool.Rent(this, id);
        Add(stream);
        stream.OnRequestHead(fields, endStream);
    }

    internal void OnTrailers(uint id, in Http2HeaderFields fields)
    {
        if (Find(id) is { } stream)
        {
            stream.OnRequestTrailers(fields);
        }
    }

    internal void OnRequestData(uint id, ReadOnlySpan<byte> data, bool endStream)
    {
        if (Find(id) is { } stream)
        {
            stream.OnRequestData(data, endStream);
            return;
        }

        // The exchange is done with this stream: its bytes go back to the windows at once.
        _h2.ReleaseReceived(id, data.Length);
    }

    internal void OnStreamReset(in Http2StreamReset reset) => Find(reset.StreamId)?.OnPeerReset();

    internal void OnWindowOpened(uint id) => Find(id)?.OnWindowOpened();

    /// <summary>Closes the connection once nothing is left to do on it: a connection error, a finished GOAWAY, or a client gone with no stream left.</summary>
    private void CloseIfDone()
    {
        if (_closed || _receiving)
        {
            return;
        }

        if (_h2.CanClose || (_readEof && _activeCount == 0))
        {
            FlushOutput();
            Close(CloseMode.FlushWrite);
        }
    }
}
