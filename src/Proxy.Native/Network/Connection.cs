using MeshEdge.Interop;
using MeshEdge.Native.Network.Interop;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Stats;
using MeshEdge.Native.Tls;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Network;

/// <summary>
/// A non-blocking TCP socket on one worker: fd, slot in the worker's epoll set, input chain and
/// output queue, and for a TLS connection its <see cref="TlsTransport"/>. It is registered once,
/// edge-triggered for in, out and rdhup, so steady state needs no epoll_ctl calls. The session above
/// it sees plaintext and events, never the fd; that is what lets TLS slide in underneath and a
/// connection be handed to another process.
/// </summary>
internal sealed unsafe partial class Connection : IEpollHandler
{
    private const uint WatchedEvents = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;

    /// <summary>What an accepted TLS connection is registered for until a send first comes up short (see <see cref="WatchWritable"/>).</summary>
    private const uint ReadEvents = EPOLLIN | EPOLLRDHUP | EPOLLET;

    private readonly int _slot;
    private readonly long _highWatermark;
    private readonly long _lowWatermark;

    private Connection(Worker worker, int fd, ConnectionState state, IConnectionHandler handler, int bufferLimit, uint events = WatchedEvents)
    {
        Worker = worker;
        Fd = fd;
        State = state;
        Handler = handler;
        _highWatermark = bufferLimit;
        _lowWatermark = bufferLimit / 2;
        LastActivityMs = worker.NowMs;
        _watchingWritable = (events & EPOLLOUT) != 0;
        _slot = worker.Register(this, fd, events);
    }

    public Worker Worker { get; }

    public int Fd { get; private set; }

    public ConnectionState State { get; private set; }

    public IConnectionHandler Handler { get; set; }

    /// <summary>Bytes read and not yet taken by the session.</summary>
    public BlockChain Input { get; } = new();

    /// <summary>Bytes queued for the socket.</summary>
    public BlockChain Output { get; } = new();

    public long BytesRead { get; private set; }

    public long BytesWritten { get; private set; }

    /// <summary>When bytes last moved either way, for idle timeouts checked lazily by the session.</summary>
    public long LastActivityMs { get; private set; }

    internal bool ReadQueued;

    internal bool FlushQueued;

    /// <summary>
    /// Wraps a freshly accepted socket, counting its bytes into <paramref name="listenerStats"/> (this
    /// worker's counters for the listener) as they move; with <paramref name="tls"/>, the server handshake
    /// runs first and the handler hears <see cref="IConnectionHandler.OnConnected"/> when it completes.
    /// </summary>
    public static Connection Accepted(Worker worker, int fd, IConnectionHandler handler, int bufferLimit, ListenerStats listenerStats, TlsServerContext? tls = null)
    {
        var connection = new Connection(worker, fd, ConnectionState.Open, handler, bufferLimit, tls is null ? WatchedEvents : ReadEvents);

        // Edge-triggered: bytes that arrived before registration raise no edge, so try once.
        connection._readable = true;
        connection._writable = true;
        connection._listenerStats = listenerStats;
        connection._acksDelayed = ListenerSocket.DelaysAcks(tls);
        if (tls is not null)
        {
            connection._tls = new TlsTransport(connection, tls, listenerStats.Tls);
            connection.AnswerHelloOnAccept();
        }

        return connection;
    }

    /// <summary>
    /// Starts a non-blocking connect. Returns null with <paramref name="errno"/> set when it fails at
    /// once; otherwise the handler hears OnConnected or OnConnectFailed later.
    /// </summary>
    public static Connection? Connect(Worker worker, System.Net.IPEndPoint endpoint, IConnectionHandler handler, int bufferLimit, out int errno)
    {
        var family = endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? AF_INET : AF_INET6;
        var fd = Libc.Socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            errno = Libc.Errno;
            return null;
        }

        SocketOptions.SetNoDelay(fd);
        var address = stackalloc byte[SockAddr.MaxLength];
        var length = SockAddr.Write(endpoint, address);
        if (Libc.Connect(fd, address, length) < 0 && Libc.Errno != EINPROGRESS)
        {
            errno = Libc.Errno;
            Libc.Close(fd);
            return null;
        }

        errno = 0;
        return new Connection(worker, fd, ConnectionState.Connecting, handler, bufferLimit);
    }

    public void OnEpollEvents(uint events)
    {
        if (State == ConnectionState.Connecting)
        {
            CompleteConnect(events);
            return;
        }

        if ((events & EPOLLERR) != 0)
        {
            CloseNow(CloseReason.RemoteError);
            return;
        }

        if ((events & (EPOLLRDHUP | EPOLLHUP)) != 0)
        {
            _peerClosedWrite = true;
        }

        if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) != 0)
        {
            _readable = true;
            Read();
        }

        if ((events & EPOLLOUT) != 0 && State != ConnectionState.Closed)
        {
            _writable = true;
            if (!Output.IsEmpty || _shutdownWriteRequested || _tls is { CipherOut.IsEmpty: false })
            {
                Flush();
            }
        }
    }

    private void CompleteConnect(uint events)
    {
        var error = 0;
        if ((events & (EPOLLERR | EPOLLHUP)) != 0 || (events & EPOLLOUT) != 0)
        {
            error = SocketOptions.GetError(Fd);
            if (error == 0 && (events & (EPOLLERR | EPOLLHUP)) != 0)
            {
                error = ECONNREFUSED;
            }
        }
        else
        {
            return;
        }

        if (error != 0)
        {
            ReleaseResources();
            Handler.OnConnectFailed(this, error);
            return;
        }

        State = ConnectionState.Open;
        _writable = true;
        LastActivityMs = Worker.NowMs;
        if (_tls is not null)
        {
            StartClientHandshake(events);
            return;
        }

        Handler.OnConnected(this);
        if (State == ConnectionState.Open && (events & (EPOLLIN | EPOLLRDHUP)) != 0)
        {
            _readable = true;
            Read();
        }

        if (!Output.IsEmpty)
        {
            Worker.ScheduleFlush(this);
        }
    }

    /// <summary>Closes the connection; <see cref="CloseMode.FlushWrite"/> sends what is queued first.</summary>
    public void Close(CloseMode mode)
    {
        if (State is ConnectionState.Closed)
        {
            return;
        }

        if (State == ConnectionState.Closing && mode == CloseMode.FlushWrite)
        {
            // Already flushing towards a close; asking again must not cut the flush short.
            return;
        }

        if (mode == CloseMode.FlushWrite && State == ConnectionState.Open
            && (!Output.IsEmpty || _tls is { } tls && (!tls.CipherOut.IsEmpty || tls.CloseNotifyPending)))
        {
            State = ConnectionState.Closing;
            Input.Clear(Worker.Pool);
            Worker.ScheduleFlush(this);
            return;
        }

        if (State == ConnectionState.Connecting)
        {
            // A connect abandoned by its session (timeout): nobody is told of a failure it chose.
            ReleaseResources();
            return;
        }

        CloseNow(CloseReason.Local);
    }

    private void CloseNow(CloseReason reason)
    {
        if (State == ConnectionState.Closed)
        {
            return;
        }

        if (reason != CloseReason.Local && _tls is { Client: not null, Handshaking: true })
        {
            FailClientHandshake();
            return;
        }

        ReleaseResources();
        Handler.OnClosed(this, reason);
    }

    /// <summary>Closes the fd (which also removes it from epoll) and returns every block.</summary>
    private void ReleaseResources()
    {
        State = ConnectionState.Closed;
        Worker.Release(_slot);
        Libc.Close(Fd);
        Fd = -1;
        Input.Clear(Worker.Pool);
        Output.Clear(Worker.Pool);
        _tls?.Release();
    }
}
