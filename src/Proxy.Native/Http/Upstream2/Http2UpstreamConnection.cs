using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Native.Http.Http2;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Http.Upstream2;

/// <summary>
/// One upstream HTTP/2 connection of a worker: the socket, an <see cref="Http2Connection"/> in the
/// client role, and the streams on it. Streams the pool attached before the connection was up, or
/// while it was full, wait here (<see cref="_waiting"/>) and hear OnUpstreamConnected when there is
/// room; the others are open, by id. The connection is always the socket's handler; it decides
/// when it may close (idle, GOAWAY, a dead keepalive) and tells the pool when it is gone.
/// </summary>
internal sealed partial class Http2UpstreamConnection : IConnectionHandler, IDrainable
{
    private readonly Http2UpstreamPool _pool;
    private readonly BlockPool _blocks;
    private readonly BlockChain _staging = new();
    private readonly Dictionary<uint, Http2UpstreamStream> _open = [];
    private readonly List<Http2UpstreamStream> _waiting = [];
    private readonly List<Http2UpstreamStream> _refused = [];
    private readonly int _maxStreams;
    private readonly int _maxFrameLength;

    // Streams handed to exchanges that may send: open, or leased and about to send their head.
    private int _dispatched;
    private bool _retiring;

    public Http2UpstreamConnection(Http2UpstreamPool pool, UpstreamHost host, Http2ConnectionOptions options, BlockPool blocks)
    {
        _pool = pool;
        _blocks = blocks;
        _maxStreams = options.MaxConcurrentStreams;
        _maxFrameLength = Codecs.Http2.Http2Constants.FrameHeaderLength + options.MaxFrameSize;
        Host = host;
        Writer = new BlockChainWriter(blocks) { Target = _staging };
        Codec = new Http2Connection(Http2ConnectionRole.Client, options, clock: () => pool.NowMs);
        _keepalive = new TimerEntry(this, KeepaliveTimerKind);
        _settingsAck = new Http2SettingsAckTimer(this, SettingsAckTimerKind, options.SettingsTimeoutMs);
    }

    public UpstreamHost Host { get; }

    public Connection Connection { get; set; } = null!;

    public Http2Connection Codec { get; }

    /// <summary>Where frames are written before they go to the socket (<see cref="Flush"/>).</summary>
    public BlockChainWriter Writer { get; }

    /// <summary>:scheme of every request: "https" over TLS, else "http".</summary>
    public ReadOnlySpan<byte> Scheme => _pool.Scheme;

    // TCP (and TLS) is up and our preface has gone out.
    private bool _connected;

    // Ready and its waiters not yet placed: those the server's limit leaves no room for go elsewhere once.
    private bool _waitersPlaced;

    /// <summary>The server's SETTINGS came: streams may open, within its limit.</summary>
    public bool Ready { get; private set; }

    /// <summary>The socket is gone; the pool has forgotten the connection.</summary>
    public bool Closed { get; private set; }

    /// <summary>Streams opened on the connection so far (max_requests_per_connection).</summary>
    public int Requests { get; private set; }

    /// <summary>Since when no stream is on the connection, for the idle timeout; -1 while one is.</summary>
    public long IdleSinceMs { get; private set; } = -1;

    /// <summary>Streams the connection carries or owes a place: open, about to open, waiting.</summary>
    public int StreamCount => _dispatched + _waiting.Count;

    /// <summary>No new stream: GOAWAY came, the connection failed, or it is being retired.</summary>
    public bool GoingAway => _retiring || Codec.State is not (Http2ConnectionState.Open or Http2ConnectionState.New);

    /// <summary>How many more streams the connection can open now: the peer's limit and ours, less those handed out.</summary>
    private int Room => (int)Math.Min(Codec.PeerMaxConcurrentStreams, (uint)_maxStreams) - _dispatched;

    /// <summary>Whether an exchange can have a stream here right now.</summary>
    public bool CanLease => Ready && !GoingAway && !Closed && Connection.State == ConnectionState.Open && Room > 0 && !_pool.RequestLimitReached(Requests + _dispatched);

    /// <summary>Whether a stream may wait here for the connect or for room (a connection on its way that is not full of waiters).</summary>
    public bool CanQueue => !GoingAway && !Closed && StreamCount < _maxStreams;

    /// <summary>A stream for an exchange now (<see cref="CanLease"/> was checked): it sends its head at once.</summary>
    public void Lease(Http2UpstreamStream stream, IUpstreamStreamUser user)
    {
        stream.Attach(this, user);
        stream.Connected = true;
        _dispatched++;
        IdleSinceMs = -1;
    }

    /// <summary>A stream that waits for the connect, or for room on a full connection.</summary>
    public void Enqueue(Http2UpstreamStream stream, IUpstreamStreamUser user)
    {
        stream.Attach(this, user);
        _waiting.Add(stream);
        IdleSinceMs = -1;
    }

    /// <summary>The stream's head went out under its new id.</summary>
    internal void OnStreamOpened(Http2UpstreamStream stream)
    {
        _open[stream.Id] = stream;
        Requests++;
        _pool.H2Stats.StreamsTotal++;
        _pool.H2Stats.StreamsActive++;
    }

    /// <summary>Writes the queued control frames and whatever frames were staged to the socket.</summary>
    public void Flush()
    {
        Codec.Flush(Writer);
        if (!_staging.IsEmpty && !Closed)
        {
            Connection.Write(_staging);
        }

        _staging.Clear(_blocks);
    }

    /// <summary>The exchange is done with <paramref name="stream"/>: a stream still open is cancelled; then the room it took serves a waiter.</summary>
    public void Release(Http2UpstreamStream stream, bool clean)
    {
        if (stream.Id != 0 && _open.Remove(stream.Id))
        {
            _pool.H2Stats.StreamsActive--;
            if (!Closed && !stream.Finished && Codec.ResetStream(stream.Id, Http2ErrorCode.Cancel))
            {
                _pool.H2Stats.ResetsSent++;
            }

            var unreleased = stream.TakeUnreleased();
            if (unreleased > 0 && !Closed)
            {
                Codec.ReleaseReceived(0, unreleased);
            }
        }

        Forget(stream);
        _pool.Recycle(stream);
        if (!Closed && !_receiving)
        {
            // Inside the codec's events the read that follows does this, once, after the codec returned.
            Flush();
            AfterStreamEnded();
        }
    }

    /// <summary>The stream leaves the connection's books (open, dispatched or waiting).</summary>
    private void Forget(Http2UpstreamStream stream)
    {
        if (stream.Connected)
        {
            _dispatched--;
        }
        else
        {
            _waiting.Remove(stream);
        }

        _refused.Remove(stream);
        stream.Connected = false;
    }

    /// <summary>Room came free, or a stream ended: a waiter takes the room; a connection going away with nothing left closes; an empty one starts its idle clock.</summary>
    private void AfterStreamEnded()
    {
        DispatchWaiters();
        if (StreamCount > 0 || Closed)
        {
            return;
        }

        if (GoingAway || Requests >= _pool.MaxRequestsPerConnection)
        {
            Retire();
            return;
        }

        IdleSinceMs = _pool.NowMs;
        _pool.OnIdle();
    }

    /// <summary>Waiters get the connection in their order, as far as there is room.</summary>
    private void DispatchWaiters()
    {
        while (_waiting.Count > 0 && CanLease)
        {
            var stream = _waiting[0];
            _waiting.RemoveAt(0);
            stream.Connected = true;
            _dispatched++;
            stream.User!.OnUpstreamConnected(stream);
        }

        var firstTime = Ready && !_waitersPlaced;
        _waitersPlaced |= Ready;
        if (_waiting.Count > 0 && Ready && (GoingAway || firstTime))
        {
            // Room will never come here, or the server allows fewer streams than waited: the rest go
            // to another connection, as if just arriving (one opens if the breaker allows).
            var waiters = _waiting.ToArray();
            _waiting.Clear();
            foreach (var stream in waiters)
            {
                _pool.Rehome(stream);
            }
        }
    }

    /// <summary>No new stream here (a drain, a removed host): the connection closes when its last one ends.</summary>
    public void StopNewStreams() => _retiring = true;

    /// <summary>Closes a connection nobody will use again: GOAWAY (we accept no pushed streams), then the socket once it is written.</summary>
    public void Retire()
    {
        if (Closed)
        {
            return;
        }

        _retiring = true;
        if (Connection.State == ConnectionState.Connecting || !_connected)
        {
            Discard();
            return;
        }

        Codec.GoAway();
        Flush();
        Connection.Close(CloseMode.FlushWrite);
    }

    /// <summary>Abandons the connection at once (a connect given up on): nobody is told; the pool's books are closed here.</summary>
    private void Discard()
    {
        var connecting = Connection.State == ConnectionState.Connecting;
        Connection.Close(CloseMode.Abort);
        if (connecting && !Closed)
        {
            OnGone(connected: false);
        }
    }
}
