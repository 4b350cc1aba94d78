using System.Text;
using MeshEdge.Interop;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// One end of a Unix stream socket that carries bytes and, beside them, file descriptors
/// (SCM_RIGHTS). A received fd is a new number in this process for the same open socket, so a
/// listening socket passed over keeps its accept queue: nothing already queued is lost.
/// Blocking and used on the main thread only; the hand-off is not on the data path.
/// </summary>
internal sealed unsafe class FdChannel : IDisposable
{
    /// <summary>The kernel's limit of descriptors in one message (SCM_MAX_FD).</summary>
    public const int MaxFdsPerMessage = 253;

    private FdChannel(int fd)
    {
        Fd = fd;
    }

    public int Fd { get; private set; }

    /// <summary>A connected pair, for tests and for a parent handing over to a child it spawns.</summary>
    public static (FdChannel, FdChannel) CreatePair()
    {
        var fds = stackalloc int[2];
        if (Libc.SocketPair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
        {
            throw new IOException($"socketpair: {Libc.Describe(Libc.Errno)}");
        }

        return (new FdChannel(fds[0]), new FdChannel(fds[1]));
    }

    /// <summary>Connects to a hand-off socket at <paramref name="path"/>.</summary>
    public static FdChannel Connect(string path) =>
        TryConnect(path, out var errno) ?? throw new IOException($"connect {path}: {Libc.Describe(errno)}");

    /// <summary>
    /// Connects, or returns null with the errno: ENOENT and ECONNREFUSED mean nobody is listening
    /// there, which a successor treats as "nothing to take over" rather than as a failure.
    /// </summary>
    public static FdChannel? TryConnect(string path, out int errno)
    {
        var fd = Libc.Socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            errno = Libc.Errno;
            return null;
        }

        var address = stackalloc byte[2 + SunPathLength];
        var length = WriteAddress(path, address);
        while (Libc.Connect(fd, address, length) < 0)
        {
            errno = Libc.Errno;
            if (errno != EINTR)
            {
                Libc.Close(fd);
                return null;
            }
        }

        errno = 0;
        return new FdChannel(fd);
    }

    /// <summary>Bounds every later receive: a peer that hangs turns into an error, not a stuck thread.</summary>
    public void SetReceiveTimeout(TimeSpan timeout)
    {
        // struct timeval { long tv_sec; long tv_usec; }
        var timeval = stackalloc long[2];
        timeval[0] = (long)timeout.TotalSeconds;
        timeval[1] = timeout.Milliseconds * 1000L;
        Libc.SetSockOpt(Fd, SOL_SOCKET, SO_RCVTIMEO, timeval, 2 * sizeof(long));
    }

    /// <summary>Wakes a thread blocked in <see cref="Receive"/> on this channel (it sees end of stream).</summary>
    public void Shutdown()
    {
        var fd = Fd;
        if (fd >= 0)
        {
            Libc.Shutdown(fd, SHUT_RDWR);
        }
    }

    /// <summary>Wraps a socket accepted by a <see cref="HandoffListener"/>.</summary>
    internal static FdChannel FromAccepted(int fd) => new(fd);

    /// <summary>Sends all of <paramref name="data"/>, with <paramref name="fds"/> attached to its first byte.</summary>
    public void Send(ReadOnlySpan<byte> data, ReadOnlySpan<int> fds)
    {
        if (fds.Length > MaxFdsPerMessage || (fds.Length > 0 && data.IsEmpty))
        {
            throw new ArgumentException($"at most {MaxFdsPerMessage} fds, and only with at least one byte");
        }

        var controlLength = fds.IsEmpty ? 0 : ControlSpace(fds.Length);
        var control = stackalloc byte[Math.Max(1, controlLength)];
        if (!fds.IsEmpty)
        {
            WriteRights(control, fds);
        }

        fixed (byte* bytes = data)
        {
            var sent = 0;
            while (sent < data.Length)
            {
                var vector = new Iovec { Base = bytes + sent, Length = (nuint)(data.Length - sent) };
                var message = new MessageHeader { Vectors = &vector, VectorCount = 1 };
                if (sent == 0 && controlLength > 0)
                {
                    message.Control = control;
                    message.ControlLength = (nuint)controlLength;
                }

                var n = Libc.SendMsg(Fd, &message, MSG_NOSIGNAL);
                if (n < 0)
                {
                    if (Libc.Errno == EINTR)
                    {
                        continue;
                    }

                    throw new IOException($"sendmsg: {Libc.Describe(Libc.Errno)}");
                }

                sent += (int)n;
            }
        }
    }

    /// <summary>
    /// Receives up to <paramref name="buffer"/>.Length bytes and any fds that came with them.
    /// Returns the byte count (0 at end of stream) and sets <paramref name="fdCount"/>.
    /// </summary>
    public int Receive(Span<byte> buffer, Span<int> fds, out int fdCount)
    {
        var control = stackalloc byte[ControlSpace(MaxFdsPerMessage)];
        fixed (byte* bytes = buffer)
        {
            while (true)
            {
                var vector = new Iovec { Base = bytes, Length = (nuint)buffer.Length };
                var message = new MessageHeader
                {
                    Vectors = &vector,
                    VectorCount = 1,
                    Control = control,
                    ControlLength = (nuint)ControlSpace(MaxFdsPerMessage),
                };
                var n = Libc.RecvMsg(Fd, &message, MSG_CMSG_CLOEXEC);
                if (n < 0)
                {
                    var errno = Libc.Errno;
                    if (errno == EINTR)
                    {
                        continue;
                    }

                    throw new IOException(errno == EAGAIN ? "timed out waiting for the other process" : $"recvmsg: {Libc.Describe(errno)}");
                }

                fdCount = ReadRights(control, (int)message.ControlLength, fds);
                return (int)n;
            }
        }
    }

    /// <summary>Receives exactly <paramref name="buffer"/>.Length bytes (fds only from the first read).</summary>
    public bool ReceiveExactly(Span<byte> buffer, Span<int> fds, out int fdCount)
    {
        fdCount = 0;
        var received = 0;
        while (received < buffer.Length)
        {
            var n = Receive(buffer[received..], received == 0 ? fds : fds[fdCount..], out var count);
            if (n == 0)
            {
                return false;
            }

            fdCount += count;
            received += n;
        }

        return true;
    }

    public void Dispose()
    {
        if (Fd >= 0)
        {
            Libc.Close(Fd);
            Fd = -1;
        }
    }

    /// <summary>Fills a sockaddr_un; a leading '@' names the abstract namespace.</summary>
    internal static uint WriteAddress(string path, byte* address)
    {
        var span = new Span<byte>(address, 2 + SunPathLength);
        span.Clear();
        var bytes = Encoding.UTF8.GetByteCount(path);
        if (bytes >= SunPathLength)
        {
            throw new ArgumentException($"socket path too long ({bytes} bytes, at most {SunPathLength - 1}): {path}");
        }

        *(ushort*)address = AF_UNIX;
        Encoding.UTF8.GetBytes(path, span[2..]);
        if (path.StartsWith('@'))
        {
            address[2] = 0;
            return (uint)(2 + bytes);
        }

        return (uint)(2 + bytes + 1);
    }

    // struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } then data, 8-byte aligned.
    private const int HeaderLength = 16;

    private static int ControlSpace(int fdCount) => HeaderLength + Align(fdCount * sizeof(int));

    private static int Align(int length) => (length + 7) & ~7;

    private static void WriteRights(byte* control, ReadOnlySpan<int> fds)
    {
        new Span<byte>(control, ControlSpace(fds.Length)).Clear();
        *(nuint*)control = (nuint)(HeaderLength + (fds.Length * sizeof(int)));
        *(int*)(control + 8) = SOL_SOCKET;
        *(int*)(control + 12) = SCM_RIGHTS;
        fds.CopyTo(new Span<int>(control + HeaderLength, fds.Length));
    }

    private static int ReadRights(byte* control, int controlLength, Span<int> fds)
    {
        var count = 0;
        var offset = 0;
        while (offset + HeaderLength <= controlLength)
        {
            var length = (int)*(nuint*)(control + offset);
            if (length < HeaderLength)
            {
                break;
            }

            if (*(int*)(control + offset + 8) == SOL_SOCKET && *(int*)(control + offset + 12) == SCM_RIGHTS)
            {
                var n = (length - HeaderLength) / sizeof(int);
                for (var i = 0; i < n; i++)
                {
                    var fd = *(int*)(control + offset + HeaderLength + (i * sizeof(int)));
                    if (count < fds.Length)
                    {
                        fds[count++] = fd;
                    }
                    else
                    {
                        // No room: close it rather than leak a descriptor nobody knows about.
                        Libc.Close(fd);
                    }
                }
            }

            offset += HeaderLength + Align(length - HeaderLength);
        }

        return count;
    }
}
