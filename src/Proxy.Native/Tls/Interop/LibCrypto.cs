using System.Runtime.InteropServices;

namespace MeshEdge.Native.Tls.Interop;

/// <summary>
/// The libcrypto 3 calls MeshEdge makes: the per-thread error queue, and the BIO method through
/// which libssl reads and writes ciphertext in our own blocks (<see cref="BlockChainBio"/>).
/// </summary>
internal static unsafe partial class LibCrypto
{
    private const string Lib = "libcrypto.so.3";

    [LibraryImport(Lib)]
    public static partial ulong ERR_get_error();

    [LibraryImport(Lib)]
    public static partial void ERR_clear_error();

    [LibraryImport(Lib)]
    public static partial void ERR_error_string_n(ulong error, byte* buffer, nuint length);

    /// <summary>An index for our own data on an OpenSSL object, with the callback OpenSSL calls as it frees each one.</summary>
    [LibraryImport(Lib)]
    public static partial int CRYPTO_get_ex_new_index(int classIndex, long argl, nint argp, nint newFunc, nint dupFunc, nint freeFunc);

    [LibraryImport(Lib)]
    public static partial int BIO_get_new_index();

    [LibraryImport(Lib)]
    public static partial nint BIO_meth_new(int type, byte* name);

    [LibraryImport(Lib)]
    public static partial int BIO_meth_set_write(nint method, nint write);

    [LibraryImport(Lib)]
    public static partial int BIO_meth_set_read(nint method, nint read);

    [LibraryImport(Lib)]
    public static partial int BIO_meth_set_ctrl(nint method, nint ctrl);

    [LibraryImport(Lib)]
    public static partial nint BIO_meth_get_ctrl(nint method);

    [LibraryImport(Lib)]
    public static partial nint BIO_s_null();

    [LibraryImport(Lib)]
    public static partial nint BIO_new(nint method);

    [LibraryImport(Lib)]
    public static partial void BIO_set_data(nint bio, nint data);

    /// <summary>
    /// A field read, called from the BIO's callbacks on every record: no GC transition (the native
    /// side neither blocks nor calls back), which would cost more than the call itself.
    /// </summary>
    [LibraryImport(Lib)]
    [SuppressGCTransition]
    public static partial nint BIO_get_data(nint bio);

    [LibraryImport(Lib)]
    public static partial void BIO_set_init(nint bio, int init);

    /// <summary>A flag write, from the BIO's read callback: no GC transition (see <see cref="BIO_get_data"/>).</summary>
    [LibraryImport(Lib)]
    [SuppressGCTransition]
    public static partial void BIO_set_flags(nint bio, int flags);

    /// <summary>A flag write, from the BIO's read callback: no GC transition (see <see cref="BIO_get_data"/>).</summary>
    [LibraryImport(Lib)]
    [SuppressGCTransition]
    public static partial void BIO_clear_flags(nint bio, int flags);
}
