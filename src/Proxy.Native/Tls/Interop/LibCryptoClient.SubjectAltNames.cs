using System.Runtime.InteropServices;

namespace MeshEdge.Native.Tls.Interop;

/// <summary>The libcrypto calls that read a peer certificate's subject alternative names during chain verification (apart from <see cref="LibCrypto"/>, as <see cref="LibSslClient"/>).</summary>
internal static unsafe partial class LibCryptoClient
{
    private const string Lib = "libcrypto.so.3";

    [LibraryImport(Lib)]
    public static partial int X509_STORE_CTX_get_error_depth(nint storeContext);

    [LibraryImport(Lib)]
    public static partial nint X509_STORE_CTX_get_current_cert(nint storeContext);

    [LibraryImport(Lib)]
    public static partial nint X509_STORE_CTX_get_ex_data(nint storeContext, int index);

    [LibraryImport(Lib)]
    public static partial void X509_STORE_CTX_set_error(nint storeContext, int error);

    [LibraryImport(Lib)]
    public static partial nint X509_get_ext_d2i(nint certificate, int nid, int* critical, int* index);

    [LibraryImport(Lib)]
    public static partial int OPENSSL_sk_num(nint stack);

    [LibraryImport(Lib)]
    public static partial nint OPENSSL_sk_value(nint stack, int index);

    [LibraryImport(Lib)]
    public static partial nint GENERAL_NAME_get0_value(nint name, int* type);

    [LibraryImport(Lib)]
    public static partial byte* ASN1_STRING_get0_data(nint text);

    [LibraryImport(Lib)]
    public static partial int ASN1_STRING_length(nint text);

    [LibraryImport(Lib)]
    public static partial void GENERAL_NAMES_free(nint names);
}
