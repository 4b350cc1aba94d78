using System.Runtime.InteropServices;

namespace MeshEdge.Native.Tls.Interop;

/// <summary>The libcrypto calls a verify callback uses to find its certificate and connection in the store context.</summary>
internal static unsafe partial class LibCrypto
{
    [LibraryImport(Lib)]
    public static partial int X509_STORE_CTX_get_error_depth(nint storeContext);

    [LibraryImport(Lib)]
    public static partial nint X509_STORE_CTX_get_current_cert(nint storeContext);

    [LibraryImport(Lib)]
    public static partial nint X509_STORE_CTX_get_ex_data(nint storeContext, int index);
}
