using System.Net;
using MeshEdge.Interop;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Network.Interop;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Tls;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Network;

/// <summary>
/// One worker's listening socket for one listener. Every worker binds its own socket to the same
/// address with SO_REUSEPORT and the kernel spreads new connections over them, so accepting takes
/// no lock and no hand-off. The fd is plain and inheritable in spirit: the hot upgrade passes it on.
/// A live config change keeps the socket and only swaps <see cref="Listener"/>.
/// </summary>
internal sealed unsafe class ListenerSocket : IEpollHandler, ITimerHandler
{
    private const int AcceptsPerEvent = 64;
    private const int AcceptPauseMs = 100;

    /// <summary>
    /// How many accepts the last event tried, and in which turn (the worker's epoll_wait count) it
    /// took them all. Accepting until EAGAIN costs a failed accept4 per event, which for connections
    /// that come one at a time is one per connection (nginx accepts one per event). The socket is
    /// level-triggered, so stopping early loses nothing: what is left raises the next event. An event
    /// takes one connection, unless the turn before took all it tried: a listener reported again at
    /// once has a backlog, so the batch doubles, up to <see cref="AcceptsPerEvent"/>.
    /// </summary>
    private int _acceptBatch = 1;

    private long _fullBatchTurn = -2;

    private Worker? _worker;
    private int _slot = -1;
    private TimerEntry? _resumeTimer;
    private bool _loggedFdExhaustion;

    private ListenerRuntime _listener;

    private ListenerSocket(ListenerRuntime listener, int fd, IPEndPoint boundAddress)
    {
        _listener = listener;
        Fd = fd;
        BoundAddress = boundAddress;

        // Accepted sockets inherit TCP_NODELAY from the listening one (Linux copies the listener's
        // TCP state into each child): set once here, not with a setsockopt per connection.
        SocketOptions.SetNoDelay(fd);
        DeferAcceptUntilData(fd, listener.Tls is not null);
        if (DelaysAcks(listener.Tls))
        {
            DelayAcks(fd, true);
        }
    }

    /// <summary>
    /// The listener version new connections start with. Swapped by its worker, on its own thread,
    /// when a live config change makes a new version of the listener: the socket (and its accept
    /// queue) stays, only what accepted connections get changes.
    /// </summary>
    public ListenerRuntime Listener
    {
        get => _listener;
        set
        {
            if ((value.Tls is null) != (_listener.Tls is null) && Fd >= 0)
            {
                DeferAcceptUntilData(Fd, value.Tls is not null);
            }

            if (DelaysAcks(value.Tls) != DelaysAcks(_listener.Tls) && Fd >= 0)
            {
                DelayAcks(Fd, DelaysAcks(value.Tls));
            }

            _listener = value;
        }
    }

    /// <summary>
    /// A TLS client always speaks first (its ClientHello), so a TLS listener asks the kernel to hold
    /// a new connection until its first bytes arrive (TCP_DEFER_ACCEPT, nginx's "deferred"): the
    /// worker then wakes once, with the ClientHello already there to answer in the same turn, instead
    /// of once for the connection and again for the hello. A client silent for a second is accepted
    /// anyway (the kernel's deferral ends with the SYN-ACK's first retransmission), and the handshake
    /// timeout takes over. Plaintext listeners keep the plain accept: some protocols a TCP proxy
    /// carries let the server speak first.
    /// </summary>
    private static void DeferAcceptUntilData(int fd, bool defer) =>
        SocketOptions.SetInt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, defer ? 1 : 0);

    /// <summary>
    /// Whether connections accepted from a listener with <paramref name="tls"/> start with delayed
    /// ACKs: those of a TLS listener that speaks HTTP. Every client segment there is answered soon by
    /// one of the server's own (the ClientHello by the server's flight, the Finished by the tickets,
    /// a request by its response), so the ACK can ride on it instead of going alone: a pure ACK the
    /// client's core builds and takes in for each ClientHello (the kernel acknowledges a new
    /// connection's first segments at once, from the softirq of the core that sent them), which
    /// HAProxy avoids the same way for its HTTP frontends. Where the server then has nothing to send
    /// while the client may wait on that ACK (Nagle holding its next write), the connection asks
    /// for it at once (<see cref="Connection.AckPromptly"/>). Plaintext listeners keep the kernel's
    /// default: a TCP proxy's protocols may not answer every segment.
    /// </summary>
    public static bool DelaysAcks(TlsServerContext? tls) => tls is { AnswersPlainHttp: true };

    /// <summary>TCP_QUICKACK off on a listening socket: its accepted sockets inherit the delayed-ACK mode.</summary>
    private static void DelayAcks(int fd, bool delay) =>
        SocketOptions.SetInt(fd, IPPROTO_TCP, TCP_QUICKACK, delay ? 0 : 1);

    public int Fd { get; private set; }

    public IPEndPoint BoundAddress { get; }

    /// <summary>Creates, binds and listens; returns null with the errno on failure.</summary>
    public static ListenerSocket? Open(ListenerRuntime listener, IPEndPoint address, out int errno)
    {
        var family = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? AF_INET : AF_INET6;
        var fd = Libc.Socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            errno = Libc.Errno;
            return null;
        }

        SocketOptions.SetInt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
        SocketOptions.SetInt(fd, SOL_SOCKET, SO_REUSEPORT, 1);
        if (family == AF_INET6)
        {
            SocketOptions.SetInt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
        }

        var sockaddr = stackalloc byte[SockAddr.MaxLength];
        var length = SockAddr.Write(address, sockaddr);
        if (Libc.Bind(fd, sockaddr, length) < 0 || Libc.Listen(fd, 4096) < 0)
        {
            errno = Libc.Errno;
            Libc.Close(fd);
            return null;
        }

        var boundLength = (uint)SockAddr.MaxLength;
        Libc.GetSockName(fd, sockaddr, &boundLength);
        errno = 0;
        return new ListenerSocket(listener, fd, SockAddr.Read(sockaddr));
    }

    /// <summary>
    /// Takes over a listening socket a predecessor handed over (hot upgrade). It is already bound,
    /// listening and non-blocking (those are properties of the socket, not of the fd); null with a
    /// reason when the fd is not a listening socket.
    /// </summary>
    public static ListenerSocket? Adopt(ListenerRuntime listener, int fd, out string? problem)
    {
        var accepting = 0;
        var optionLength = (uint)sizeof(int);
        var sockaddr = stackalloc byte[SockAddr.MaxLength];
        var boundLength = (uint)SockAddr.MaxLength;
        if (Libc.GetSockOpt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &optionLength) < 0 || accepting == 0
            || Libc.GetSockName(fd, sockaddr, &boundLength) < 0)
        {
            problem = $"fd {fd} handed over for listener {listener.Name} is not a listening socket";
            return null;
        }

        problem = null;
        return new ListenerSocket(listener, fd, SockAddr.Read(sockaddr));
    }

    /// <summary>Level-triggered: whatever one turn leaves in the accept queue raises the next event.</summary>
    public void Attach(Worker worker)
    {
        _worker = worker;
        _slot = worker.Register(this, Fd, EPOLLIN);
    }

    public void OnEpollEvents(uint events)
    {
        var worker = _worker!;
        var stats = worker.Stats.Listeners[Listener.Index];
        var peer = stackalloc byte[SockAddr.MaxLength];
        var turn = worker.Stats.EpollWaits;
        var batch = turn == _fullBatchTurn + 1 ? Math.Min(AcceptsPerEvent, _acceptBatch * 2) : 1;
        for (var i = 0; i < batch; i++)
        {
            var peerLength = (uint)SockAddr.MaxLength;
            var fd = Libc.Accept4(Fd, peer, &peerLength, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0)
            {
                var errno = Libc.Errno;
                if (errno is EINTR or ECONNABORTED)
                {
                    continue;
                }

                if (errno is EMFILE or ENFILE)
                {
                    PauseAccepting(worker, errno);
                }

                return;
            }

            stats.ConnectionsTotal++;
            if (!Listener.Connections.TryAcquire())
            {
                stats.ConnectionsOverflow++;
                Libc.Close(fd);
                continue;
            }

            // The session reads the client's address from accept4's answer, not from getpeername.
            PeerAddress.RememberAccepted(fd, peer);
            try
            {
                Listener.SessionFactory.Start(worker, Listener, fd, SockAddr.HashAddress(peer));
            }
            finally
            {
                PeerAddress.ForgetAccepted();
            }
        }

        // Every accept found a connection: more may be queued; if so, the next turn reports the socket again.
        _acceptBatch = batch;
        _fullBatchTurn = turn;
    }

    /// <summary>
    /// Out of file descriptors: a level-triggered listener would spin, so stop watching it for a
    /// moment (as nginx does) and let closing connections free some.
    /// </summary>
    private void PauseAccepting(Worker worker, int errno)
    {
        if (!_loggedFdExhaustion)
        {
            _loggedFdExhaustion = true;
            Log.Warn("accept paused", ("listener", Listener.Name), ("error", Libc.Describe(errno)));
        }

        worker.Modify(_slot, Fd, 0);
        _resumeTimer ??= new TimerEntry(this, 0);
        worker.Timers.Arm(_resumeTimer, worker.NowMs, AcceptPauseMs);
    }

    public void OnTimer(TimerEntry timer)
    {
        if (Fd >= 0 && !_acceptingHeld)
        {
            _worker!.Modify(_slot, Fd, EPOLLIN);
        }
    }

    private bool _acceptingHeld;

    /// <summary>
    /// The overload manager's stop_accepting stage: the socket leaves the worker's epoll interest (its
    /// accept queue fills and then the kernel holds SYNs back) and comes back; nothing is refused.
    /// </summary>
    public void HoldAccepting(bool hold)
    {
        if (hold == _acceptingHeld || Fd < 0 || _slot < 0)
        {
            return;
        }

        _acceptingHeld = hold;
        _worker!.Modify(_slot, Fd, hold ? 0 : EPOLLIN);
    }

    /// <summary>Stops accepting: new connections to this worker's socket are refused from now on.</summary>
    public void Close()
    {
        if (Fd < 0)
        {
            return;
        }

        if (_resumeTimer is not null)
        {
            _worker?.Timers.Cancel(_resumeTimer);
        }

        if (_slot >= 0)
        {
            _worker!.Unregister(_slot, Fd);
            _slot = -1;
        }

        Libc.Close(Fd);
        Fd = -1;
    }
}
