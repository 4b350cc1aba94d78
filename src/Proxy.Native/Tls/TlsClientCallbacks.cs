using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MeshEdge.Native.Tls.Interop;
using static MeshEdge.Native.Tls.Interop.SslClientConstants;

namespace MeshEdge.Native.Tls;

/// <summary>
/// libssl's callbacks into the client role, on the thread that runs the handshake. Each finds the
/// connection's <see cref="ITlsClientPeer"/> through the SSL object's app data (a GC handle), so
/// the contexts need no data of their own.
/// </summary>
internal static unsafe class TlsClientCallbacks
{
    /// <summary>
    /// Chain verification's last word on each certificate: libssl's verdict stands, and on the leaf
    /// (depth 0) its names must match; a mismatch fails the handshake (alert bad_certificate) and is
    /// counted as san_mismatch, not as a bad chain.
    /// </summary>
    [UnmanagedCallersOnly]
    public static int VerifyServer(int preverifyOk, nint storeContext)
    {
        if (preverifyOk == 0 || LibCrypto.X509_STORE_CTX_get_error_depth(storeContext) != 0)
        {
            return preverifyOk;
        }

        var ssl = LibCrypto.X509_STORE_CTX_get_ex_data(storeContext, LibSslClient.SSL_get_ex_data_X509_STORE_CTX_idx());
        var transport = PeerOf(ssl);
        if (transport.Client!.Accepts(LibCrypto.X509_STORE_CTX_get_current_cert(storeContext)))
        {
            return 1;
        }

        transport.ServerNameMismatch = true;
        LibCrypto.X509_STORE_CTX_set_error(storeContext, X509_V_ERR_APPLICATION_VERIFICATION);
        return 0;
    }

    /// <summary>A session (TLS 1.2 at the handshake's end, TLS 1.3 a ticket after it) the host's next connection on this worker will resume; we keep the reference.</summary>
    [UnmanagedCallersOnly]
    public static int OnNewSession(nint ssl, nint session)
    {
        PeerOf(ssl).Client!.KeepSession(session);
        return 1;
    }

    /// <summary>The SSL app data slot (index 0, SSL_set_app_data's) holding the GC handle of the connection's <see cref="ITlsClientPeer"/>.</summary>
    public const int PeerIndex = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ITlsClientPeer PeerOf(nint ssl) => (ITlsClientPeer)GCHandle.FromIntPtr(LibSslClient.SSL_get_ex_data(ssl, PeerIndex)).Target!;
}
