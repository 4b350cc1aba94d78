using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Stats;

namespace MeshEdge.Native.Proxy;

/// <summary>
/// The session factory of a tcp_proxy with SNI routes: each accepted connection is first inspected
/// (<see cref="ClientHelloInspector"/>), then proxied to the cluster its server name picks. A
/// tcp_proxy without routes keeps <see cref="TcpProxySessionFactory"/> and pays nothing for this.
/// Per-worker contexts are indexed by worker id, each made and used by its own worker only.
/// </summary>
internal sealed class SniRoutingSessionFactory(SniRouteTable routes, long inspectTimeoutMs, int maxHelloBytes) : IDownstreamSessionFactory
{
    /// <summary>The most workers a config may ask for (runtime.workers).</summary>
    private const int MaxWorkers = 1024;

    private readonly SniWorkerContext?[] _contexts = new SniWorkerContext?[MaxWorkers];

    public SniRouteTable Routes { get; } = routes;

    public void Start(Worker worker, ListenerRuntime listener, int fd, ulong clientHash)
    {
        var context = _contexts[worker.Id] ??= new SniWorkerContext(maxHelloBytes, Routes.Routes.Length);
        new ClientHelloInspector(worker, listener, this, context, fd, clientHash).Start(inspectTimeoutMs);
    }

    /// <summary>The counters over all workers (plain reads of other workers' fields, at most a moment old).</summary>
    public SniStats MergeStats()
    {
        var total = new SniStats(Routes.Routes.Length);
        foreach (var context in _contexts)
        {
            if (context is not null)
            {
                total.Add(context.Stats);
            }
        }

        return total;
    }
}
