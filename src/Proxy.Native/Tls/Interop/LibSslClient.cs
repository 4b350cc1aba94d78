using System.Runtime.InteropServices;

namespace MeshEdge.Native.Tls.Interop;

/// <summary>
/// The libssl calls of the client role (TLS origination to clusters): connect state, SNI, ALPN,
/// sessions to resume, server verification. A class apart from <see cref="LibSsl"/>, so that imports
/// other branches add to it at the same time cannot collide with these.
/// </summary>
internal static unsafe partial class LibSslClient
{
    private const string Lib = "libssl.so.3";

    [LibraryImport(Lib)]
    public static partial nint TLS_client_method();

    [LibraryImport(Lib)]
    public static partial void SSL_set_connect_state(nint ssl);

    [LibraryImport(Lib)]
    public static partial long SSL_ctrl(nint ssl, int command, long larg, nint parg);

    [LibraryImport(Lib)]
    public static partial int SSL_CTX_set_default_verify_paths(nint ctx);

    /// <summary>Returns 0 on success (unlike most of libssl).</summary>
    [LibraryImport(Lib)]
    public static partial int SSL_CTX_set_alpn_protos(nint ctx, byte* protocols, uint length);

    [LibraryImport(Lib)]
    public static partial void SSL_CTX_sess_set_new_cb(nint ctx, nint callback);

    [LibraryImport(Lib)]
    public static partial int SSL_set_session(nint ssl, nint session);

    [LibraryImport(Lib)]
    public static partial int SSL_session_reused(nint ssl);

    [LibraryImport(Lib)]
    public static partial void SSL_SESSION_free(nint session);

    [LibraryImport(Lib)]
    public static partial int SSL_set_ex_data(nint ssl, int index, nint data);

    [LibraryImport(Lib)]
    public static partial nint SSL_get_ex_data(nint ssl, int index);

    [LibraryImport(Lib)]
    public static partial void SSL_set_shutdown(nint ssl, int mode);

    [LibraryImport(Lib)]
    public static partial int SSL_get_ex_data_X509_STORE_CTX_idx();
}
