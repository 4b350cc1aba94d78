using System.Runtime.InteropServices;

namespace MeshEdge.Native.Tls.Interop;

/// <summary>
/// The libssl calls behind swapping a listener's contexts on reload (see <see cref="TlsContextSlot"/>)
/// and counting the live ones (TlsContextBuilder.Count).
/// </summary>
internal static partial class LibSsl
{
    [LibraryImport(Lib)]
    public static partial nint SSL_get_SSL_CTX(nint ssl);

    [LibraryImport(Lib)]
    public static partial int SSL_CTX_set_ex_data(nint ctx, int index, nint data);
}
