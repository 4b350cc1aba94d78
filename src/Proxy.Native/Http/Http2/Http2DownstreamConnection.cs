using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;
using MeshEdge.Config.Model;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Stats;

namespace MeshEdge.Native.Http.Http2;

/// <summary>
/// The HTTP/2 codec of one downstream connection (Envoy's Http2 ServerConnection with the
/// connection manager's per-connection part): one <see cref="Http2Connection"/> in the server role
/// over the engine's <see cref="Connection"/>, each stream an <see cref="Http2DownstreamStream"/>
/// driving one <see cref="HttpExchange"/>. Frames the streams write go to one staging chain that
/// moves to the socket's queue, which the worker sends once per loop turn. It takes over a
/// connection the HTTP/1.1 session has seen start with the h2c preface or finish a TLS handshake
/// that chose "h2" (see <see cref="Http1DownstreamConnection"/>'s hand-over).
/// </summary>
internal sealed partial class Http2DownstreamConnection : IConnectionHandler, IDrainable, IListenerSession
{
    private readonly Worker _worker;
    private readonly ListenerRuntime _listener;
    private readonly ListenerStats _stats;
    private readonly Http2Connection _h2;
    private readonly BlockChain _staging = new();
    private readonly BlockChainWriter _writer;
    private readonly Http2StreamPool _pool;
    private readonly byte[] _clientAddress;
    private readonly ulong _clientHash;
    private Connection _downstream = null!;
    private Http2DownstreamStream[] _active = new Http2DownstreamStream[8];
    private int _activeCount;
    private Http2ConnectionCounters _reported;
    private bool _outputAbove;
    private bool _closed;

    public Http2DownstreamConnection(Worker worker, ListenerRuntime listener, byte[] clientAddress, ulong clientHash)
    {
        _worker = worker;
        _listener = listener;
        CurrentListener = listener;
        _stats = worker.Stats.Listeners[listener.Index];
        _clientAddress = clientAddress;
        _clientHash = clientHash;
        _writer = new BlockChainWriter(worker.Pool) { Target = _staging };
        var options = Http2SessionOptions.For(listener.Config.Http!);
        _h2 = new Http2Connection(Http2ConnectionRole.Server, options, clock: () => worker.NowMs);
        _pool = Http2StreamPool.Of(worker);
        _idleTimer = new TimerEntry(this, IdleTimerKind);
        _drainTimer = new TimerEntry(this, DrainTimerKind);
        _settingsTimer = new Http2SettingsAckTimer(this, SettingsTimerKind, options.SettingsTimeoutMs);
    }

    public ListenerRuntime Listener => _listener;

    public Worker Worker => _worker;

    internal Http2Connection Frames => _h2;

    internal BlockChainWriter Writer => _writer;

    internal bool Secure => _downstream.Tls is not null;

    internal Tls.TlsPeerIdentity? Peer => _downstream.Tls?.Peer;

    internal ReadOnlySpan<byte> ClientAddress => _clientAddress;

    internal ulong ClientHash => _clientHash;

    /// <summary>
    /// The most DATA one frame should carry so that it fits, header and all, in the staging chain's
    /// tail block, or in a fresh one when the tail has little room left: a frame never straddles
    /// blocks, so it is written in place, never through a scratch copy.
    /// </summary>
    internal int DataFrameRoom
    {
        get
        {
            const int MinimumRoom = 1024;
            var free = _staging.Tail is { } tail ? tail.Free : 0;
            return (free >= MinimumRoom ? free : _worker.Pool.BlockSize) - Http2Constants.FrameHeaderLength;
        }
    }

    /// <summary>The socket's queue is above its high watermark: every stream holds its upstream.</summary>
    internal bool OutputAbove => _outputAbove;

    /// <summary>
    /// Takes <paramref name="connection"/> from the session that accepted it (its bytes still unread
    /// in the input, the preface among them) and speaks HTTP/2 on it from here: our SETTINGS first.
    /// </summary>
    public void TakeOver(Connection connection)
    {
        _downstream = connection;
        connection.Handler = this;
        _stats.Http2ConnectionsTotal++;
        _stats.Http2ConnectionsActive++;
        _h2.Start(_writer);
        _settingsTimer.Arm(_worker.Timers, _worker.NowMs);
        ArmIdleTimer();
        if (_worker.IsDraining)
        {
            OnDrain(connection);
        }

        if (!connection.Input.IsEmpty)
        {
            ProcessInput();
        }
        else
        {
            FlushOutput();
        }
    }

    public void OnConnected(Connection connection)
    {
    }

    public void OnConnectFailed(Connection connection, int errno)
    {
    }

    public void OnData(Connection connection) => ProcessInput();

    public void OnReadEof(Connection connection)
    {
        // A client that half-closes an h2 connection sends nothing more; streams it still waits for
        // are answered, then the connection goes.
        _readEof = true;
        CloseIfDone();
    }

    public void OnAboveHighWatermark(Connection connection) => SetOutputAbove(true);

    public void OnBelowLowWatermark(Connection connection) => SetOutputAbove(false);

    public void OnClosed(Connection connection, CloseReason reason)
    {
        _closed = true;
        while (_activeCount > 0)
        {
            // The client is gone: each exchange abandons its upstream as a closed h1 connection does.
            _active[_activeCount - 1].OnConnectionClosed();
        }

        SyncCounters();
        _h2.Dispose();
        _staging.Clear(_worker.Pool);
        _worker.Timers.Cancel(_idleTimer);
        _worker.Timers.Cancel(_drainTimer);
        _settingsTimer.Cancel(_worker.Timers);
        ReturnJoinBuffer();
        _stats.Http2ConnectionsActive--;
        _stats.ConnectionsActive--;
        _listener.Connections.Release();
    }

    /// <summary>Moves what the frame layer and the streams wrote to the socket's queue (sent at the end of the loop turn).</summary>
    internal void FlushOutput()
    {
        if (_closed)
        {
            return;
        }

        _h2.Flush(_writer);
        if (!_staging.IsEmpty)
        {
            _downstream.Write(_staging);
        }
    }

    /// <summary>The stream with <paramref name="id"/>, or null (never opened here, or done).</summary>
    internal Http2DownstreamStream? Find(uint id)
    {
        for (var i = 0; i < _activeCount; i++)
        {
            if (_active[i].Id == id)
            {
                return _active[i];
            }
        }

        return null;
    }

    /// <summary>A stream is done (answered, reset or cut): it leaves the table and goes back to the worker's pool.</summary>
    internal void Remove(Http2DownstreamStream stream)
    {
        var slot = stream.Slot;
        var last = --_activeCount;
        _active[slot] = _active[last];
        _active[slot].Slot = slot;
        _active[last] = null!;
        _pool.Return(stream);
        if (_activeCount == 0 && !_closed)
        {
            ArmIdleTimer();
            CloseIfDone();
        }
    }

    private void Add(Http2DownstreamStream stream)
    {
        if (_activeCount == _active.Length)
        {
            Array.Resize(ref _active, _active.Length * 2);
        }

        stream.Slot = _activeCount;
        _active[_activeCount++] = stream;
        _worker.Timers.Cancel(_idleTimer);
    }

    private void SetOutputAbove(bool above)
    {
        _outputAbove = above;
        for (var i = 0; i < _activeCount; i++)
        {
            _active[i].UpdateWatermark();
        }
    }

    /// <summary>The frame layer's counters since the last report, into the listener's sums.</summary>
    private void SyncCounters() => Http2CounterSums.AddDelta(ref _stats.Http2, _h2.Counters, ref _reported);

    private void Close(CloseMode mode)
    {
        if (!_closed)
        {
            _downstream.Close(mode);
        }
    }
}
