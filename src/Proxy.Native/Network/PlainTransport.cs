using MeshEdge.Native.Network.Interop;

namespace MeshEdge.Native.Network;

/// <summary>Bytes straight to and from the socket; stateless, so one instance serves every connection.</summary>
internal sealed unsafe class PlainTransport : ITransport
{
    public static readonly PlainTransport Instance = new();

    public nint Read(int fd, byte* buffer, int length)
    {
        var n = Libc.Read(fd, buffer, (nuint)length);
        return n >= 0 ? n : -Libc.Errno;
    }

    public nint Write(int fd, Iovec* vectors, int count)
    {
        var n = Libc.Writev(fd, vectors, count);
        return n >= 0 ? n : -Libc.Errno;
    }

    public void ShutdownWrite(int fd) => Libc.Shutdown(fd, LinuxConstants.SHUT_WR);
}
