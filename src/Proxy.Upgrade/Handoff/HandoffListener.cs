using MeshEdge.Interop;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// The running process's end of the hand-off: a Unix stream socket a successor connects to. The
/// socket file is created owner-only (umask-independent: the directory is what protects it, and the
/// file is chmod'ed 0600 right after bind) and removed on dispose.
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

    public static HandoffListener Bind(string path)
    {
        var fd = Libc.Socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new IOException($"socket: {Libc.Describe(Libc.Errno)}");
        }

        if (!path.StartsWith('@') && File.Exists(path))
        {
            // A stale socket from a process that died; a live one would have answered connect.
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

    public void Dispose()
    {
        if (_fd >= 0)
        {
            Libc.Close(_fd);
            _fd = -1;
            if (!Path.StartsWith('@'))
            {
                File.Delete(Path);
            }
        }
    }
}
