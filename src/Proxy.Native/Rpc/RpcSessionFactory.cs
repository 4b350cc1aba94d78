using MeshEdge.Codecs.Rpc;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// Starts an <see cref="RpcDownstreamSession{TCodec}"/> per accepted connection of one listener. It
/// keeps one <see cref="RpcWorkerContext{TCodec}"/> per worker, indexed by worker id: each slot is
/// created and used by its own worker only, so the array needs no lock.
/// </summary>
internal sealed class RpcSessionFactory<TCodec>(TCodec codec, RpcRouteTable routes) : IDownstreamSessionFactory, IMigratableSessionFactory, IRpcStatsSource
    where TCodec : struct, IRpcCodec
{
    /// <summary>The most workers a config may ask for (runtime.workers).</summary>
    private const int MaxWorkers = 1024;

    private readonly RpcWorkerContext<TCodec>?[] _contexts = new RpcWorkerContext<TCodec>?[MaxWorkers];

    public string Protocol => codec.Name;

    public void Start(Worker worker, ListenerRuntime listener, int fd, ulong clientHash) =>
        new RpcDownstreamSession<TCodec>(ContextFor(worker, listener), listener, clientHash).Start(fd);

    public void Adopt(Worker worker, ListenerRuntime listener, int fd, byte[] pending)
    {
        listener.Connections.AcquireExisting();
        new RpcDownstreamSession<TCodec>(ContextFor(worker, listener), listener, Connection.PeerHash(fd)).Adopt(fd, pending);
    }

    private RpcWorkerContext<TCodec> ContextFor(Worker worker, ListenerRuntime listener) =>
        _contexts[worker.Id] ??= new RpcWorkerContext<TCodec>(worker, listener, codec, routes);

    public RpcListenerStats MergeListenerStats()
    {
        var total = new RpcListenerStats();
        foreach (var context in _contexts)
        {
            if (context is not null)
            {
                total.Add(context.ListenerStats);
            }
        }

        return total;
    }

    public IReadOnlyList<RpcMethodStats> MergeMethodStats()
    {
        var merged = new Dictionary<(string Service, string Method), RpcMethodStats>();
        void Merge(RpcMethodStats stats)
        {
            if (stats.Requests == 0)
            {
                return;
            }

            var key = (stats.Service, stats.Method);
            if (!merged.TryGetValue(key, out var total))
            {
                merged[key] = total = new RpcMethodStats(stats.Service, stats.Method);
            }

            total.Add(stats);
        }

        foreach (var context in _contexts)
        {
            if (context is null)
            {
                continue;
            }

            var table = context.Methods;
            var count = table.Count;
            for (var i = 0; i < count; i++)
            {
                Merge(table[i]);
            }

            Merge(table.Overflow);
        }

        return [.. merged.Values.OrderBy(m => m.Service, StringComparer.Ordinal).ThenBy(m => m.Method, StringComparer.Ordinal)];
    }

    public bool AddClusterStats(int clusterIndex, RpcClusterStats total)
    {
        var used = false;
        foreach (var context in _contexts)
        {
            // A context grows to a new cluster id only at its next call.
            if (context is not null && clusterIndex < context.ClusterStats.Length)
            {
                total.Add(context.ClusterStats[clusterIndex]);
                used = true;
            }
        }

        return used;
    }
}
