using System.Runtime.InteropServices;

namespace MeshEdge.Native.Tls.Interop;

/// <summary>
/// The libssl 3 calls MeshEdge makes (Debian's libssl3). Loaded on first use, not bound at link
/// time: a process whose config has no TLS never needs the library. No SetLastError, no string
/// marshalling on the data path: OpenSSL reports through <see cref="SSL_get_error"/> and its error
/// queue (<see cref="LibCrypto"/>).
/// </summary>
internal static unsafe partial class LibSsl
{
    private const string Lib = "libssl.so.3";

    [LibraryImport(Lib)]
    public static partial nint TLS_server_method();

    [LibraryImport(Lib)]
    public static partial nint SSL_CTX_new(nint method);

    [LibraryImport(Lib)]
    public static partial void SSL_CTX_free(nint ctx);

    [LibraryImport(Lib)]
    public static partial long SSL_CTX_ctrl(nint ctx, int command, long larg, nint parg);

    [LibraryImport(Lib)]
    public static partial long SSL_CTX_callback_ctrl(nint ctx, int command, nint callback);

    [LibraryImport(Lib)]
    public static partial ulong SSL_CTX_set_options(nint ctx, ulong options);

    [LibraryImport(Lib)]
    public static partial int SSL_CTX_set_cipher_list(nint ctx, byte* list);

    [LibraryImport(Lib)]
    public static partial int SSL_CTX_set_ciphersuites(nint ctx, byte* list);

    [LibraryImport(Lib)]
    public static partial int SSL_CTX_use_certificate_chain_file(nint ctx, byte* file);

    [LibraryImport(Lib)]
    public static partial int SSL_CTX_use_PrivateKey_file(nint ctx, byte* file, int type);

    [LibraryImport(Lib)]
    public static partial int SSL_CTX_check_private_key(nint ctx);

    [LibraryImport(Lib)]
    public static partial void SSL_CTX_set_alpn_select_cb(nint ctx, nint callback, nint arg);

    [LibraryImport(Lib)]
    public static partial int SSL_select_next_proto(byte** output, byte* outputLength, byte* server, uint serverLength, byte* client, uint clientLength);

    [LibraryImport(Lib)]
    public static partial void SSL_CTX_set_verify(nint ctx, int mode, nint callback);

    [LibraryImport(Lib)]
    public static partial int SSL_CTX_load_verify_locations(nint ctx, byte* caFile, byte* caPath);

    [LibraryImport(Lib)]
    public static partial nint SSL_load_client_CA_file(byte* file);

    [LibraryImport(Lib)]
    public static partial void SSL_CTX_set_client_CA_list(nint ctx, nint names);

    [LibraryImport(Lib)]
    public static partial int SSL_CTX_set_session_id_context(nint ctx, byte* context, uint length);

    [LibraryImport(Lib)]
    public static partial nint SSL_new(nint ctx);

    [LibraryImport(Lib)]
    public static partial void SSL_free(nint ssl);

    [LibraryImport(Lib)]
    public static partial void SSL_set_bio(nint ssl, nint readBio, nint writeBio);

    [LibraryImport(Lib)]
    public static partial void SSL_set_accept_state(nint ssl);

    [LibraryImport(Lib)]
    public static partial int SSL_do_handshake(nint ssl);

    [LibraryImport(Lib)]
    public static partial int SSL_read(nint ssl, byte* buffer, int length);

    [LibraryImport(Lib)]
    public static partial int SSL_write(nint ssl, byte* buffer, int length);

    [LibraryImport(Lib)]
    public static partial int SSL_shutdown(nint ssl);

    /// <summary>A lookup in the session and the thread's error queue: no GC transition (see <see cref="LibCrypto.BIO_get_data"/>).</summary>
    [LibraryImport(Lib)]
    [SuppressGCTransition]
    public static partial int SSL_get_error(nint ssl, int result);

    [LibraryImport(Lib)]
    public static partial byte* SSL_get_servername(nint ssl, int type);

    [LibraryImport(Lib)]
    public static partial nint SSL_set_SSL_CTX(nint ssl, nint ctx);

    [LibraryImport(Lib)]
    public static partial void SSL_get0_alpn_selected(nint ssl, byte** data, uint* length);

    [LibraryImport(Lib)]
    public static partial int SSL_CTX_set_num_tickets(nint ctx, nuint count);
}
