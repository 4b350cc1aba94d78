using MeshEdge.Interop;
using MeshEdge.Native.Network.Interop;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Network;

/// <summary>The few socket options the engine sets, each a single setsockopt.</summary>
internal static unsafe class SocketOptions
{
    /// <summary>Proxied bytes go out at once; batching is already done by writev per turn.</summary>
    public static void SetNoDelay(int fd) => SetInt(fd, IPPROTO_TCP, TCP_NODELAY, 1);

    public static int SetInt(int fd, int level, int name, int value) => Libc.SetSockOpt(fd, level, name, &value, sizeof(int));

    /// <summary>The pending socket error (SO_ERROR), e.g. the outcome of a non-blocking connect.</summary>
    public static int GetError(int fd)
    {
        var error = 0;
        var length = (uint)sizeof(int);
        return Libc.GetSockOpt(fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0 ? Libc.Errno : error;
    }
}
