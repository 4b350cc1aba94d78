using System.Runtime.InteropServices;

namespace MeshEdge.Upgrade.Interop;

/// <summary>
/// The libc calls the hand-off channel needs: Unix stream sockets and sendmsg/recvmsg with
/// SCM_RIGHTS. Errors are returned as -errno so callers never depend on marshalled last-error state.
/// </summary>
internal static unsafe partial class UnixInterop
{
    public const int AF_UNIX = 1;
    public const int SOCK_STREAM = 1;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int SOL_SOCKET = 1;
    public const int SCM_RIGHTS = 1;
    public const int MSG_NOSIGNAL = 0x4000;
    public const int MSG_CMSG_CLOEXEC = 0x40000000;
    public const int EINTR = 4;

    /// <summary>sun_path's size in struct sockaddr_un.</summary>
    public const int SunPathLength = 108;

    private const string Lib = "libc";

    [LibraryImport(Lib, EntryPoint = "__errno_location")]
    private static partial int* ErrnoLocation();

    public static int Errno => *ErrnoLocation();

    [LibraryImport(Lib, EntryPoint = "socket")]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Lib, EntryPoint = "socketpair")]
    public static partial int SocketPair(int domain, int type, int protocol, int* fds);

    [LibraryImport(Lib, EntryPoint = "bind")]
    public static partial int Bind(int fd, byte* address, uint length);

    [LibraryImport(Lib, EntryPoint = "listen")]
    public static partial int Listen(int fd, int backlog);

    [LibraryImport(Lib, EntryPoint = "accept4")]
    public static partial int Accept4(int fd, byte* address, uint* length, int flags);

    [LibraryImport(Lib, EntryPoint = "connect")]
    public static partial int Connect(int fd, byte* address, uint length);

    [LibraryImport(Lib, EntryPoint = "sendmsg")]
    public static partial nint SendMsg(int fd, MsgHdr* message, int flags);

    [LibraryImport(Lib, EntryPoint = "recvmsg")]
    public static partial nint RecvMsg(int fd, MsgHdr* message, int flags);

    [LibraryImport(Lib, EntryPoint = "close")]
    public static partial int Close(int fd);

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    /// <summary>struct iovec.</summary>
    public struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary>struct msghdr (same layout on x86_64 and arm64).</summary>
    public struct MsgHdr
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Vectors;
        public nuint VectorCount;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }
}
