using MeshEdge.Native.Runtime;
using MeshEdge.Native.Tls;

namespace MeshEdge.Native.Hosting;

/// <summary>Certificates as named secrets: registered for /certs and the metrics, their files watched and reloaded.</summary>
internal sealed partial class ProxyHost
{
    /// <summary>A successor resumes its predecessor's TLS sessions: it takes the session-ticket keys handed over.</summary>
    private static void AdoptTicketKeys(Takeover? takeover)
    {
        if (takeover?.Offer.TicketKeys is { Length: > 0 } payload)
        {
            if (TicketKeys.Decode(payload) is { } keys)
            {
                TicketKeys.Adopt(keys);
            }
            else
            {
                Log.Warn("session ticket keys handed over are not whole keys; using new ones", ("bytes", payload.Length));
            }
        }
    }

    private TlsSecretRegistry? _secrets;

    /// <summary>The watcher started after a live change brought the first TLS listener (a background thread, never stopped).</summary>
    private TlsSecretWatcher? _lateSecretWatcher;

    /// <summary>Starts watching the certificates' files (null when no listener has TLS); dispose to stop.</summary>
    private TlsSecretWatcher? StartSecretWatcher(Worker[] workers)
    {
        var registry = TlsSecretRegistry.Create(_config, _tls);
        _secrets = registry;
        if (_admin is not null)
        {
            _admin.Secrets = registry;
            _admin.Metrics.Secrets = registry;
        }

        if (registry.Secrets.Count > 0)
        {
            TicketKeys.StartRotation();
        }

        return registry.Secrets.Count == 0 ? null : TlsSecretWatcher.Start(registry, release => WorkerQuiescence.Then(workers, release));
    }

    /// <summary>
    /// After a live config change: the registry (and so the watcher and /certs) follows the listeners
    /// now serving each secret; unchanged listeners kept their contexts (TlsListenerContexts), new or
    /// changed ones are watched from now on.
    /// </summary>
    private void UpdateSecrets(Config.Model.ProxyConfig next, TlsServerContext?[] tls, Worker[] workers)
    {
        if (_secrets is not { } registry)
        {
            return;
        }

        var watching = registry.Secrets.Count > 0;
        registry.Update(next, tls);
        if (!watching && registry.Secrets.Count > 0)
        {
            TicketKeys.StartRotation();
            _lateSecretWatcher ??= TlsSecretWatcher.Start(registry, release => WorkerQuiescence.Then(workers, release));
        }
    }

    /// <summary>
    /// After a live change has been published: the TLS contexts of listeners that were replaced (a
    /// secret from the control plane rotated, a changed <c>tls</c> table) or removed drop their
    /// references to their OpenSSL contexts, which then go once the connections using them close.
    /// Not at once: a connection accepted on the old context just before the switch may still be
    /// waiting for its ClientHello, whose SNI callback picks from the old generation's table; that
    /// happens within the handshake timeout or the connection is closed, so the release waits that
    /// long and then for every worker to pass (a callback running then has finished).
    /// </summary>
    private static void RetireReplacedContexts(IEnumerable<Network.ListenerRuntime> before, TlsServerContext?[] now, Worker[] workers)
    {
        var kept = new HashSet<TlsServerContext>(now.OfType<TlsServerContext>(), ReferenceEqualityComparer.Instance);
        foreach (var old in before.Select(l => l.Tls).OfType<TlsServerContext>().Where(c => !kept.Contains(c)))
        {
            var grace = TimeSpan.FromMilliseconds(old.HandshakeTimeoutMs) + TimeSpan.FromSeconds(1);
            _ = Task.Delay(grace).ContinueWith(
                _ => WorkerQuiescence.Then(workers, () =>
                {
                    // The newest generation (a file reload may have swapped in several; each older one
                    // was released by the watcher), then the first, which a reload leaves in place.
                    old.Current.Release();
                    old.Release();
                }),
                TaskScheduler.Default);
        }
    }
}
