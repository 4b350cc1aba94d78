using System.Runtime.InteropServices;

namespace MeshEdge.Native.Tls.Interop;

/// <summary>The libssl calls behind a connection's peer identity and the client-certificate check.</summary>
internal static unsafe partial class LibSsl
{
    /// <summary>The peer's leaf certificate (not up-referenced; valid while the session lives), or 0.</summary>
    [LibraryImport(Lib)]
    public static partial nint SSL_get0_peer_certificate(nint ssl);

    /// <summary>Our own certificate on this connection (the one SNI and the client's offer chose).</summary>
    [LibraryImport(Lib)]
    public static partial nint SSL_get_certificate(nint ssl);

    /// <summary>The chain the peer sent; on the server side without the leaf.</summary>
    [LibraryImport(Lib)]
    public static partial nint SSL_get_peer_cert_chain(nint ssl);

    /// <summary>The context's current certificate: the one loaded last.</summary>
    [LibraryImport(Lib)]
    public static partial nint SSL_CTX_get0_certificate(nint ctx);

    [LibraryImport(Lib)]
    public static partial int SSL_version(nint ssl);

    [LibraryImport(Lib)]
    public static partial nint SSL_get_current_cipher(nint ssl);

    /// <summary>A static string in libssl, valid for the life of the process.</summary>
    [LibraryImport(Lib)]
    public static partial byte* SSL_CIPHER_get_name(nint cipher);

    [LibraryImport(Lib)]
    public static partial long SSL_get_verify_result(nint ssl);

    /// <summary>Replaces the chain check with <paramref name="callback"/>(X509_STORE_CTX*, arg), which runs X509_verify_cert itself.</summary>
    [LibraryImport(Lib)]
    public static partial void SSL_CTX_set_cert_verify_callback(nint ctx, nint callback, nint arg);
}
