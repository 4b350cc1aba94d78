using MeshEdge.Interop;
using MeshEdge.Native.Network.Interop;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Network;

/// <summary>
/// A connection's socket calls, in the syscall convention: bytes moved, 0 for end of stream on read,
/// -errno on failure. recv/send/sendmsg rather than read/writev: the socket calls skip the VFS layer
/// (and its fsnotify hooks) that read and writev pass through on every call.
/// </summary>
internal static unsafe class SocketIo
{
    public static nint Receive(int fd, byte* buffer, int length)
    {
        var n = Libc.Recv(fd, buffer, (nuint)length, 0);
        return n >= 0 ? n : -Libc.Errno;
    }

    public static nint Send(int fd, Iovec* vectors, int count)
    {
        nint n;
        if (count == 1)
        {
            n = Libc.Send(fd, vectors->Base, vectors->Length, MSG_NOSIGNAL);
        }
        else
        {
            var message = new MessageHeader { Vectors = vectors, VectorCount = (nuint)count };
            n = Libc.SendMsg(fd, &message, MSG_NOSIGNAL);
        }

        return n >= 0 ? n : -Libc.Errno;
    }

    public static void ShutdownWrite(int fd) => Libc.Shutdown(fd, SHUT_WR);
}
