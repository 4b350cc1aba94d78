using System.Runtime.InteropServices;

namespace MeshEdge.Native.Tls.Interop;

/// <summary>Reading PEM from memory (certificates, keys, CA bundles held by the config or sent by the control plane).</summary>
internal static unsafe partial class LibCrypto
{
    /// <summary>A read-only BIO over <paramref name="data"/>, which must outlive it (pinned for the BIO's life).</summary>
    [LibraryImport(Lib)]
    public static partial nint BIO_new_mem_buf(byte* data, int length);

    /// <summary>The next certificate, with its trust settings ("TRUSTED CERTIFICATE" too); 0 at the end or on bad input.</summary>
    [LibraryImport(Lib)]
    public static partial nint PEM_read_bio_X509_AUX(nint bio, nint* certificate, nint passwordCallback, nint userData);

    [LibraryImport(Lib)]
    public static partial nint PEM_read_bio_X509(nint bio, nint* certificate, nint passwordCallback, nint userData);

    [LibraryImport(Lib)]
    public static partial nint PEM_read_bio_PrivateKey(nint bio, nint* key, nint passwordCallback, nint userData);

    [LibraryImport(Lib)]
    public static partial void X509_free(nint certificate);

    [LibraryImport(Lib)]
    public static partial void EVP_PKEY_free(nint key);

    [LibraryImport(Lib)]
    public static partial int X509_STORE_add_cert(nint store, nint certificate);
}
