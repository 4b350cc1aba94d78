using MeshEdge.Interop;
using MeshEdge.Native.Network.Interop;

namespace MeshEdge.Native.Network;

/// <summary>
/// The seam between a socket and the session above it, as Envoy's transport sockets are: plain
/// passes bytes through; TLS (later) keeps ciphertext of its own and hands plaintext up. Results
/// follow the syscall convention: bytes moved, 0 for end of stream on read, -errno on failure.
/// </summary>
internal unsafe interface ITransport
{
    nint Read(int fd, byte* buffer, int length);

    nint Write(int fd, Iovec* vectors, int count);

    void ShutdownWrite(int fd);
}
