namespace MeshEdge.Native.Tls;

/// <summary>
/// Runs one full garbage collection, off the workers' threads, after workers let go of a retired TLS
/// cluster, so that its client context is finalized (and its SSL_CTX freed) now rather than whenever
/// the next full collection happens: the data path allocates nothing per request, so a quiet proxy
/// may go hours without one, each rotation of a cluster's certificates keeping its old OpenSSL
/// context (CA store, certificate, key) meanwhile. Debounced: every worker lets go at about the
/// same time, and one collection serves them all.
/// </summary>
internal static class TlsClientContextCollector
{
    /// <summary>Lets the other workers' releases of the same change land before the one collection.</summary>
    private const int DebounceMs = 200;

    private static int s_scheduled;

    /// <summary>Asks for a collection soon; a no-op while one is already scheduled.</summary>
    public static void Request()
    {
        if (Interlocked.Exchange(ref s_scheduled, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            await Task.Delay(DebounceMs).ConfigureAwait(false);
            Volatile.Write(ref s_scheduled, 0);
            GC.Collect();

            // The finalizers free the contexts; waiting for them keeps this thread, not a worker, busy
            // and lets /certs show the freed count as soon as this returns.
            GC.WaitForPendingFinalizers();
        });
    }
}
