using System.Runtime.InteropServices;
using MeshEdge.Native.Tls.Interop;

namespace MeshEdge.Native.Tls;

/// <summary>
/// How many listener and cluster contexts are still alive in OpenSSL: counted up when made, down by
/// OpenSSL's own free callback for the context's extra data, which runs when its last reference goes
/// (the listener's or cluster's, and each connection's that took it). A rotated certificate's old
/// contexts should leave the count once the connections using them close, and a push that leaves a
/// cluster as it was should not add one; /certs shows both, so that a leak is a number a test can
/// read rather than a slow RSS climb.
/// </summary>
internal static unsafe partial class TlsContextBuilder
{
    // CRYPTO_EX_INDEX_SSL_CTX in OpenSSL's crypto.h.
    private const int ExIndexSslCtx = 1;
    private static readonly Lazy<int> s_countIndex = new(() =>
        LibCrypto.CRYPTO_get_ex_new_index(ExIndexSslCtx, 0, 0, 0, 0, (nint)(delegate* unmanaged<nint, nint, nint, int, long, nint, void>)&OnFree));

    // The mark a counted context carries in its extra data: which count it is in (0, unmarked: none).
    private const nint ServerMark = 1;
    private const nint ClientMark = 2;

    private static long s_live;
    private static long s_liveClients;

    /// <summary>Listener contexts made and not yet freed by OpenSSL (scratch checks are not counted).</summary>
    public static long LiveContexts => Interlocked.Read(ref s_live);

    /// <summary>Cluster (client) contexts made and not yet freed by OpenSSL.</summary>
    public static long LiveClientContexts => Interlocked.Read(ref s_liveClients);

    /// <summary>Counts the listener context <paramref name="ctx"/> until OpenSSL frees it.</summary>
    private static void Track(nint ctx) => Track(ctx, ServerMark, ref s_live);

    /// <summary>Counts the cluster context <paramref name="ctx"/> until OpenSSL frees it.</summary>
    internal static void TrackClient(nint ctx) => Track(ctx, ClientMark, ref s_liveClients);

    private static void Track(nint ctx, nint mark, ref long count)
    {
        if (s_countIndex.Value >= 0 && LibSsl.SSL_CTX_set_ex_data(ctx, s_countIndex.Value, mark) == 1)
        {
            Interlocked.Increment(ref count);
        }
    }

    /// <summary>OpenSSL's free callback: called for every context as it is freed; only those marked by <see cref="Track(nint, nint, ref long)"/> carry a mark.</summary>
    [UnmanagedCallersOnly]
    private static void OnFree(nint parent, nint data, nint exData, int index, long argl, nint argp)
    {
        if (data == ServerMark)
        {
            Interlocked.Decrement(ref s_live);
        }
        else if (data == ClientMark)
        {
            Interlocked.Decrement(ref s_liveClients);
        }
    }
}
