using System.Runtime.InteropServices;

namespace MeshEdge.Native.Tls.Interop;

/// <summary>Memory BIOs, for TLS off the worker loops (health checks), where the bytes travel through a managed socket.</summary>
internal static unsafe partial class LibCrypto
{
    [LibraryImport(Lib)]
    public static partial int BIO_write(nint bio, byte* data, int length);

    [LibraryImport(Lib)]
    public static partial int BIO_read(nint bio, byte* data, int length);

    [LibraryImport(Lib)]
    public static partial nuint BIO_ctrl_pending(nint bio);
}
