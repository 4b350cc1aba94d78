using System.Buffers;
using MeshEdge.Native.Network.Interop;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Network;

/// <summary>
/// Moving a live connection between processes (hot upgrade): the old side detaches its socket
/// between events, the new side wraps the same socket with the bytes the old side had read.
/// </summary>
internal sealed unsafe partial class Connection
{
    private bool _notifyWhenOutputEmpty;

    /// <summary>Nothing queued or half-written: the kernel has every byte we meant to send.</summary>
    public bool IsOutputEmpty => Output.IsEmpty && _tls is null or { CipherOut.IsEmpty: true };

    /// <summary>Calls the handler's <see cref="IOutputEmptyObserver.OnOutputEmpty"/> once the output queue empties.</summary>
    public void NotifyWhenOutputEmpty() => _notifyWhenOutputEmpty = true;

    /// <summary>
    /// Wraps a socket adopted from the previous process, with <paramref name="pending"/> (bytes it had
    /// read but not processed) already in the input, ahead of anything still in the socket.
    /// </summary>
    public static Connection Adopted(Worker worker, int fd, IConnectionHandler handler, int bufferLimit, Stats.ListenerStats listenerStats, ReadOnlySpan<byte> pending)
    {
        // The pending bytes were counted by the process that read them.
        var connection = Accepted(worker, fd, handler, bufferLimit, listenerStats);
        if (!pending.IsEmpty)
        {
            connection.Input.AppendCopy(pending, worker.Pool);
        }

        return connection;
    }

    /// <summary>
    /// Gives the socket up without closing it: it leaves this worker's epoll set (the next owner
    /// registers it in its own), the unprocessed input is copied out into <paramref name="pending"/>
    /// and every block goes back to the pool. The handler hears nothing; the fd is the caller's now.
    /// Only for an open plaintext connection with an empty output queue (TLS state does not move yet).
    /// </summary>
    public int Detach(out byte[] pending)
    {
        pending = Input.IsEmpty ? [] : Input.AsSequence().ToArray();
        State = ConnectionState.Closed;
        Worker.Unregister(_slot, Fd);
        var fd = Fd;
        Fd = -1;
        Input.Clear(Worker.Pool);
        Output.Clear(Worker.Pool);
        return fd;
    }

    /// <summary>A hash of the peer's IP address, for a socket that did not come from our accept.</summary>
    public static ulong PeerHash(int fd)
    {
        var address = stackalloc byte[SockAddr.MaxLength];
        var length = (uint)SockAddr.MaxLength;
        new Span<byte>(address, SockAddr.MaxLength).Clear();
        return MeshEdge.Interop.Libc.GetPeerName(fd, address, &length) == 0 ? SockAddr.HashAddress(address) : 0;
    }
}
