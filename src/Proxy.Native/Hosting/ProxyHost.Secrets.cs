using MeshEdge.Native.Runtime;
using MeshEdge.Native.Tls;

namespace MeshEdge.Native.Hosting;

/// <summary>Certificates as named secrets: registered for /certs and the metrics, their files watched and reloaded.</summary>
internal sealed partial class ProxyHost
{
    /// <summary>Starts watching the certificates' files (null when no listener has TLS); dispose to stop.</summary>
    private TlsSecretWatcher? StartSecretWatcher(Worker[] workers)
    {
        var registry = TlsSecretRegistry.Create(_config, _tls);
        if (_admin is not null)
        {
            _admin.Secrets = registry;
            _admin.Metrics.Secrets = registry;
        }

        return registry.Secrets.Count == 0 ? null : TlsSecretWatcher.Start(registry, release => WorkerQuiescence.Then(workers, release));
    }
}
