using System.Runtime.InteropServices;

namespace MeshEdge.Interop;

/// <summary>
/// The libc calls MeshEdge makes (compiled into each assembly that needs them, from src/Shared). Bound at link time (DirectPInvoke), no SetLastError marshalling:
/// a failed call returns -1 and the caller reads <see cref="Errno"/> only then, so the hot path pays
/// nothing for error handling it does not need.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    [LibraryImport(Lib, EntryPoint = "__errno_location")]
    private static partial int* ErrnoLocation();

    /// <summary>errno of the last failed call on this thread; set to 0 before a call (getpriority)
    /// whose -1 can be a real result.</summary>
    public static int Errno
    {
        get => *ErrnoLocation();
        set => *ErrnoLocation() = value;
    }

    [LibraryImport(Lib, EntryPoint = "socket")]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Lib, EntryPoint = "setsockopt")]
    public static partial int SetSockOpt(int fd, int level, int name, void* value, uint length);

    [LibraryImport(Lib, EntryPoint = "getsockopt")]
    public static partial int GetSockOpt(int fd, int level, int name, void* value, uint* length);

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

    [LibraryImport(Lib, EntryPoint = "getsockname")]
    public static partial int GetSockName(int fd, byte* address, uint* length);

    [LibraryImport(Lib, EntryPoint = "getpeername")]
    public static partial int GetPeerName(int fd, byte* address, uint* length);

    [LibraryImport(Lib, EntryPoint = "open")]
    public static partial int Open(byte* path, int flags);

    [LibraryImport(Lib, EntryPoint = "read")]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "write")]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "writev")]
    public static partial nint Writev(int fd, Iovec* vectors, int count);

    [LibraryImport(Lib, EntryPoint = "recv")]
    public static partial nint Recv(int fd, byte* buffer, nuint count, int flags);

    [LibraryImport(Lib, EntryPoint = "send")]
    public static partial nint Send(int fd, byte* buffer, nuint count, int flags);

    [LibraryImport(Lib, EntryPoint = "sendmsg")]
    public static partial nint SendMsg(int fd, MessageHeader* message, int flags);

    [LibraryImport(Lib, EntryPoint = "recvmsg")]
    public static partial nint RecvMsg(int fd, MessageHeader* message, int flags);

    [LibraryImport(Lib, EntryPoint = "shutdown")]
    public static partial int Shutdown(int fd, int how);

    [LibraryImport(Lib, EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport(Lib, EntryPoint = "sendto")]
    public static partial nint SendTo(int fd, byte* buffer, nuint length, int flags, byte* address, uint addressLength);

    [LibraryImport(Lib, EntryPoint = "epoll_create1")]
    public static partial int EpollCreate1(int flags);

    [LibraryImport(Lib, EntryPoint = "epoll_ctl")]
    public static partial int EpollCtl(int epollFd, int op, int fd, byte* evt);

    [LibraryImport(Lib, EntryPoint = "epoll_wait")]
    public static partial int EpollWait(int epollFd, byte* events, int maxEvents, int timeoutMs);

    [LibraryImport(Lib, EntryPoint = "eventfd")]
    public static partial int EventFd(uint initial, int flags);

    /// <summary>poll(2) over <c>struct pollfd { int fd; short events; short revents; }</c> entries (8 bytes each).</summary>
    [LibraryImport(Lib, EntryPoint = "poll")]
    public static partial int Poll(byte* fds, nuint count, int timeoutMs);

    /// <summary>With <see cref="LinuxConstants.PRIO_PROCESS"/> and a thread id: that one thread's nice
    /// value (Linux keeps it per thread); returns the nice itself, so -1 is an error only if errno is set.</summary>
    [LibraryImport(Lib, EntryPoint = "getpriority")]
    public static partial int GetPriority(int which, uint who);

    [LibraryImport(Lib, EntryPoint = "setpriority")]
    public static partial int SetPriority(int which, uint who, int nice);

    [LibraryImport(Lib, EntryPoint = "getuid")]
    public static partial uint GetUid();

    /// <summary>The text of an errno value, for log lines (never on the data path).</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
