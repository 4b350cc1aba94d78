using System.Runtime.InteropServices;
using MeshEdge.Native.Tls.Interop;

namespace MeshEdge.Native.Tls;

/// <summary>
/// How many listener contexts this builder made are still alive in OpenSSL: counted up when made,
/// down by OpenSSL's own free callback for the context's extra data, which runs when its last
/// reference goes (the listener's, and each connection's that took it). A rotated certificate's old
/// contexts should leave the count once the connections using them close; /certs shows it, so that
/// a leak is a number a test can read rather than a slow RSS climb.
/// </summary>
internal static unsafe partial class TlsContextBuilder
{
    // CRYPTO_EX_INDEX_SSL_CTX in OpenSSL's crypto.h.
    private const int ExIndexSslCtx = 1;
    private static readonly Lazy<int> s_countIndex = new(() =>
        LibCrypto.CRYPTO_get_ex_new_index(ExIndexSslCtx, 0, 0, 0, 0, (nint)(delegate* unmanaged<nint, nint, nint, int, long, nint, void>)&OnFree));

    private static long s_live;

    /// <summary>Listener contexts made and not yet freed by OpenSSL (scratch checks are not counted).</summary>
    public static long LiveContexts => Interlocked.Read(ref s_live);

    /// <summary>Counts <paramref name="ctx"/> until OpenSSL frees it.</summary>
    private static void Track(nint ctx)
    {
        if (s_countIndex.Value >= 0 && LibSsl.SSL_CTX_set_ex_data(ctx, s_countIndex.Value, 1) == 1)
        {
            Interlocked.Increment(ref s_live);
        }
    }

    /// <summary>OpenSSL's free callback: called for every context as it is freed; only those marked by <see cref="Track"/> carry 1.</summary>
    [UnmanagedCallersOnly]
    private static void OnFree(nint parent, nint data, nint exData, int index, long argl, nint argp)
    {
        if (data != 0)
        {
            Interlocked.Decrement(ref s_live);
        }
    }
}
