using MeshEdge.Interop;
using MeshEdge.Native.Runtime;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Network;

/// <summary>
/// A listener filter: watches one freshly accepted socket until its first bytes decide what serves
/// it. It only peeks (MSG_PEEK), so nothing is consumed: once decided, the fd leaves this watcher's
/// epoll slot and goes on exactly as if just accepted, every byte still in the socket. Edge-triggered,
/// so a prefix too short to decide waits for the next arrival instead of spinning; a timer bounds
/// the wait. Protocol detection and the TLS ClientHello inspection are its two kinds.
/// </summary>
internal abstract unsafe class PeekingFilter : IEpollHandler, ITimerHandler
{
    private readonly TimerEntry _timer;
    private int _fd;
    private int _slot;

    protected PeekingFilter(Worker worker, ListenerRuntime listener, int fd, ulong clientHash)
    {
        Worker = worker;
        Listener = listener;
        ClientHash = clientHash;
        _fd = fd;
        _timer = new TimerEntry(this, 0);
    }

    protected Worker Worker { get; }

    protected ListenerRuntime Listener { get; }

    protected ulong ClientHash { get; }

    /// <summary>Where a peek lands; its length is the most bytes the filter ever looks at.</summary>
    protected abstract Span<byte> PeekBuffer { get; }

    public void Start(long timeoutMs)
    {
        _slot = Worker.Register(this, _fd, EPOLLIN | EPOLLRDHUP | EPOLLET);
        Worker.Timers.Arm(_timer, Worker.NowMs, timeoutMs);

        // Edge-triggered: bytes that arrived before registration raise no edge, so look once now.
        OnEpollEvents(EPOLLIN);
    }

    public void OnEpollEvents(uint events)
    {
        if (_fd < 0)
        {
            return;
        }

        var buffer = PeekBuffer;
        nint n;
        fixed (byte* at = buffer)
        {
            n = Libc.Recv(_fd, at, (nuint)buffer.Length, MSG_PEEK);
        }

        if (n < 0)
        {
            if (Libc.Errno is EAGAIN or EINTR)
            {
                return;
            }

            OnReadError();
            return;
        }

        OnPeeked(buffer[..(int)n], peerClosed: n == 0 || (events & (EPOLLRDHUP | EPOLLHUP)) != 0);
    }

    public void OnTimer(TimerEntry timer)
    {
        if (_fd >= 0)
        {
            OnTimeout();
        }
    }

    /// <summary>The bytes the socket holds now (all of them, up to the buffer's length); <paramref name="peerClosed"/>: no more will come.</summary>
    protected abstract void OnPeeked(ReadOnlySpan<byte> prefix, bool peerClosed);

    /// <summary>The bound on the wait ran out before the bytes decided.</summary>
    protected abstract void OnTimeout();

    protected abstract void OnReadError();

    /// <summary>Leaves the epoll set and the timer; the fd is the caller's from here on.</summary>
    protected int Detach()
    {
        var fd = _fd;
        _fd = -1;
        Worker.Timers.Cancel(_timer);
        Worker.Unregister(_slot, fd);
        return fd;
    }

    /// <summary>Closes the connection undecided and gives its slot back to the listener.</summary>
    protected void CloseSocket()
    {
        Libc.Close(Detach());
        Listener.Connections.Release();
    }
}
