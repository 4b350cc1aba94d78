using System.Runtime.InteropServices;

namespace MeshEdge.Native.Tls.Interop;

/// <summary>The libcrypto calls that read a certificate: chain verification, SANs, subject, digest, PEM, key type.</summary>
internal static unsafe partial class LibCrypto
{
    [LibraryImport(Lib)]
    public static partial int X509_verify_cert(nint storeContext);

    [LibraryImport(Lib)]
    public static partial nint X509_STORE_CTX_get0_cert(nint storeContext);

    [LibraryImport(Lib)]
    public static partial void X509_STORE_CTX_set_error(nint storeContext, int error);

    /// <summary>The decoded extension (a GENERAL_NAMES stack for subjectAltName), owned by the caller; 0 when absent.</summary>
    [LibraryImport(Lib)]
    public static partial nint X509_get_ext_d2i(nint certificate, int nid, int* critical, int* index);

    [LibraryImport(Lib)]
    public static partial void GENERAL_NAMES_free(nint names);

    [LibraryImport(Lib)]
    public static partial nint GENERAL_NAME_get0_value(nint name, int* type);

    [LibraryImport(Lib)]
    public static partial int OPENSSL_sk_num(nint stack);

    [LibraryImport(Lib)]
    public static partial nint OPENSSL_sk_value(nint stack, int index);

    [LibraryImport(Lib)]
    public static partial byte* ASN1_STRING_get0_data(nint text);

    [LibraryImport(Lib)]
    public static partial int ASN1_STRING_length(nint text);

    [LibraryImport(Lib)]
    public static partial nint X509_get_subject_name(nint certificate);

    [LibraryImport(Lib)]
    public static partial int X509_NAME_print_ex(nint bio, nint name, int indent, ulong flags);

    [LibraryImport(Lib)]
    public static partial int X509_digest(nint certificate, nint digest, byte* output, uint* length);

    [LibraryImport(Lib)]
    public static partial nint EVP_sha256();

    [LibraryImport(Lib)]
    public static partial int PEM_write_bio_X509(nint bio, nint certificate);

    [LibraryImport(Lib)]
    public static partial nint X509_get0_pubkey(nint certificate);

    [LibraryImport(Lib)]
    public static partial int EVP_PKEY_get_base_id(nint key);

    [LibraryImport(Lib)]
    public static partial nint BIO_s_mem();

    [LibraryImport(Lib)]
    public static partial long BIO_ctrl(nint bio, int command, long larg, nint parg);

    [LibraryImport(Lib)]
    public static partial int BIO_free(nint bio);
}
