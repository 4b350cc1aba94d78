using System.Runtime.InteropServices;

namespace MeshEdge.Native.Tls.Interop;

/// <summary>Putting certificates, keys and trusted CAs read from memory into a context.</summary>
internal static partial class LibSsl
{
    [LibraryImport(Lib)]
    public static partial int SSL_CTX_use_certificate(nint ctx, nint certificate);

    [LibraryImport(Lib)]
    public static partial int SSL_CTX_use_PrivateKey(nint ctx, nint key);

    [LibraryImport(Lib)]
    public static partial nint SSL_CTX_get_cert_store(nint ctx);

    /// <summary>Adds the certificate's subject to the CA names sent in a CertificateRequest (copied).</summary>
    [LibraryImport(Lib)]
    public static partial int SSL_CTX_add_client_CA(nint ctx, nint certificate);
}
