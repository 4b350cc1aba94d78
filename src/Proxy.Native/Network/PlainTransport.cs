using MeshEdge.Interop;
using MeshEdge.Native.Network.Interop;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Network;

/// <summary>
/// Bytes straight to and from the socket; stateless, so one instance serves every connection.
/// recv/send/sendmsg rather than read/writev: the socket calls skip the VFS layer (and its
/// fsnotify hooks) that read and writev pass through on every call.
/// </summary>
internal sealed unsafe class PlainTransport : ITransport
{
    public static readonly PlainTransport Instance = new();

    public nint Read(int fd, byte* buffer, int length)
    {
        var n = Libc.Recv(fd, buffer, (nuint)length, 0);
        return n >= 0 ? n : -Libc.Errno;
    }

    public nint Write(int fd, Iovec* vectors, int count)
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

    public void ShutdownWrite(int fd) => Libc.Shutdown(fd, SHUT_WR);
}
