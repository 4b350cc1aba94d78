using MeshEdge.Interop;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// The running process's end of the hand-off: a Unix stream socket a successor connects to. The
/// socket file is created owner-only (umask-independent: the directory is what protects it, and the
/// file is chmod'ed 0600 right after bind). The socket itself passes to the successor with the
/// listeners, so the path answers without a gap; only the last owner removes the file.
/// </summary>
internal sealed unsafe class HandoffListener : IDisposable
{
    private int _fd;

    private HandoffListener(int fd, string path)
    {
        _fd = fd;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The listening socket, to pass on to a successor.</summary>
    public int Fd => _fd;

    /// <summary>Binds <paramref name="path"/>; call only after a connect there found nobody (a stale file is replaced).</summary>
    public static HandoffListener Bind(string path)
    {
        var fd = Libc.Socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new IOException($"socket: {Libc.Describe(Libc.Errno)}");
        }

        if (!path.StartsWith('@') && File.Exists(path))
        {
            // A stale socket from a process that died; the caller's connect found nobody behind it.
            File.Delete(path);
        }

        var address = stackalloc byte[2 + SunPathLength];
        var length = FdChannel.WriteAddress(path, address);
        if (Libc.Bind(fd, address, length) < 0 || Libc.Listen(fd, 4) < 0)
        {
            var errno = Libc.Errno;
            Libc.Close(fd);
            throw new IOException($"bind {path}: {Libc.Describe(errno)}");
        }

        if (!path.StartsWith('@'))
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new HandoffListener(fd, path);
    }

    /// <summary>Takes over a listening socket a predecessor passed on, bound at <paramref name="path"/>.</summary>
    public static HandoffListener Adopt(int fd, string path) => new(fd, path);

    /// <summary>Waits up to <paramref name="timeoutMs"/> for a successor to connect; null when none did.</summary>
    public FdChannel? TryAccept(int timeoutMs)
    {
        var pollFd = stackalloc byte[8];
        *(int*)pollFd = _fd;
        *(short*)(pollFd + 4) = POLLIN;
        *(short*)(pollFd + 6) = 0;
        if (Libc.Poll(pollFd, 1, timeoutMs) <= 0)
        {
            return null;
        }

        var fd = Libc.Accept4(_fd, null, null, SOCK_CLOEXEC);
        return fd >= 0 ? FdChannel.FromAccepted(fd) : null;
    }

    /// <summary>Waits for a successor to connect.</summary>
    public FdChannel Accept()
    {
        while (true)
        {
            var fd = Libc.Accept4(_fd, null, null, SOCK_CLOEXEC);
            if (fd >= 0)
            {
                return FdChannel.FromAccepted(fd);
            }

            if (Libc.Errno != EINTR)
            {
                throw new IOException($"accept {Path}: {Libc.Describe(Libc.Errno)}");
            }
        }
    }

    /// <summary>
    /// Closes this process's copy but leaves the file: the socket lives on in the successor, and
    /// connections queued on it are the successor's to accept.
    /// </summary>
    public void Release()
    {
        if (_fd >= 0)
        {
            Libc.Close(_fd);
            _fd = -1;
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            Release();
            if (!Path.StartsWith('@'))
            {
                File.Delete(Path);
            }
        }
    }
}
