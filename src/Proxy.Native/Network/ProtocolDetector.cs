using MeshEdge.Codecs.Detection;
using MeshEdge.Interop;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Runtime;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Network;

/// <summary>
/// Watches one freshly accepted socket until its first bytes tell the protocol. It only peeks
/// (MSG_PEEK), so nothing is consumed: once decided, the fd leaves this watcher's epoll slot and is
/// started by the chosen factory exactly as if it had just been accepted, with every byte still in
/// the socket. Edge-triggered, so a prefix too short to decide waits for the next arrival instead of
/// spinning; the detection timeout bounds the wait.
/// </summary>
internal sealed unsafe class ProtocolDetector : IEpollHandler, ITimerHandler
{
    /// <summary>Enough for every signature the sniffer knows (the HTTP/2 preface is the longest at 24).</summary>
    private const int PeekBytes = 64;

    private readonly Worker _worker;
    private readonly ListenerRuntime _listener;
    private readonly DetectingSessionFactory _factory;
    private readonly ulong _clientHash;
    private readonly TimerEntry _timer;
    private int _fd;
    private int _slot;

    public ProtocolDetector(Worker worker, ListenerRuntime listener, DetectingSessionFactory factory, int fd, ulong clientHash)
    {
        _worker = worker;
        _listener = listener;
        _factory = factory;
        _fd = fd;
        _clientHash = clientHash;
        _timer = new TimerEntry(this, 0);
    }

    public void Start()
    {
        _slot = _worker.Register(this, _fd, EPOLLIN | EPOLLRDHUP | EPOLLET);
        _worker.Timers.Arm(_timer, _worker.NowMs, (long)_listener.Config.DetectionTimeout.TotalMilliseconds);

        // Edge-triggered: bytes that arrived before registration raise no edge, so look once now.
        OnEpollEvents(EPOLLIN);
    }

    public void OnEpollEvents(uint events)
    {
        if (_fd < 0)
        {
            return;
        }

        var prefix = stackalloc byte[PeekBytes];
        var n = Libc.Recv(_fd, prefix, PeekBytes, MSG_PEEK);
        if (n < 0)
        {
            if (Libc.Errno is EAGAIN or EINTR)
            {
                return;
            }

            Close("read error");
            return;
        }

        var detected = ProtocolSniffer.Sniff(new ReadOnlySpan<byte>(prefix, (int)n));
        if (n == 0 || (events & (EPOLLRDHUP | EPOLLHUP)) != 0 && detected == DetectedProtocol.NeedMoreData)
        {
            // The client closed before saying enough: nothing can be served.
            Close("closed before the protocol was known");
            return;
        }

        if (detected != DetectedProtocol.NeedMoreData)
        {
            HandOver(detected);
        }
    }

    public void OnTimer(TimerEntry timer)
    {
        if (_fd >= 0)
        {
            // Silent clients (server-speaks-first protocols) are what a TCP fallback is for.
            HandOver(DetectedProtocol.Unknown);
        }
    }

    private void HandOver(DetectedProtocol protocol)
    {
        var target = _factory.For(protocol);
        if (target is null)
        {
            Close($"no session for protocol {protocol}");
            return;
        }

        var fd = Detach();
        if (Log.DebugEnabled)
        {
            Log.Debug("protocol detected", ("listener", _listener.Name), ("protocol", protocol));
        }

        target.Start(_worker, _listener, fd, _clientHash);
    }

    private void Close(string reason)
    {
        _worker.Stats.Listeners[_listener.Index].DetectionFailures++;
        if (Log.DebugEnabled)
        {
            Log.Debug("protocol detection failed", ("listener", _listener.Name), ("reason", reason));
        }

        Libc.Close(Detach());
        _listener.Connections.Release();
    }

    /// <summary>Leaves the epoll set and the timer; the fd is the caller's from here on.</summary>
    private int Detach()
    {
        var fd = _fd;
        _fd = -1;
        _worker.Timers.Cancel(_timer);
        _worker.Unregister(_slot, fd);
        return fd;
    }
}
