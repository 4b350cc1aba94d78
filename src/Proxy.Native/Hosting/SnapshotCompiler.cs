using System.Collections.Immutable;
using System.Net;
using MeshEdge.Config.AccessLog;
using MeshEdge.Config.Model;
using MeshEdge.Native.AccessLogs;
using MeshEdge.Native.Http;
using MeshEdge.Native.Http.Routing;
using MeshEdge.Native.Network;
using MeshEdge.Native.Proxy;
using MeshEdge.Native.Rpc;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// Compiles a config into a <see cref="WorkerSnapshot"/>, at start-up and for each live change. It
/// hands out the stable ids: a listener keeps its id while its name, address and protocol stay; a
/// cluster keeps its id (and its <see cref="ClusterRuntime"/>, with health, outlier state, breakers
/// and pools) while its settings other than static hosts stay. Ids are never reused. Compiling
/// changes nothing that runs: <see cref="SnapshotPlan"/> says what to do once the change is accepted.
/// </summary>
internal sealed class SnapshotCompiler(int workerCount)
{
    private readonly Dictionary<(string Name, IPEndPoint Address, ListenerProtocol Protocol), int> _listenerIds = [];
    private int _nextListenerId;
    private int _nextClusterId;

    /// <summary>The id the next new listener gets (the admin listener takes one too).</summary>
    public int NextListenerId() => _nextListenerId++;

    /// <param name="tls">Each listener's loaded TLS (null for plaintext), indexed like the config's listeners.</param>
    /// <param name="previous">The running snapshot; null at start-up.</param>
    /// <exception cref="StartupException">An access log cannot be opened (nothing is kept open then).</exception>
    public SnapshotPlan Compile(ProxyConfig config, Tls.TlsServerContext?[] tls, WorkerSnapshot? previous)
    {
        var plan = new SnapshotPlan();
        var clusters = CompileClusters(config, previous, plan);
        var byName = clusters.ToDictionary(c => c.Name);
        int ClusterIndex(string name) => byName[name].Index;
        var previousListeners = previous?.Listeners.ToDictionary(l => l.Index) ?? [];
        var listeners = ImmutableArray.CreateBuilder<ListenerRuntime>();
        try
        {
            for (var i = 0; i < config.Listeners.Length; i++)
            {
                var listener = config.Listeners[i];
                var key = (listener.Name, listener.Address, listener.Protocol);
                if (!_listenerIds.TryGetValue(key, out var id))
                {
                    id = NextListenerId();
                    plan.AddedListeners.Add(id);
                }

                previousListeners.TryGetValue(id, out var before);
                listeners.Add(CompileListener(id, listener, tls[i], before, clusters, ClusterIndex, plan));
            }
        }
        catch (StartupException)
        {
            plan.CloseOpenedSinks();
            throw;
        }

        if (previous is not null)
        {
            var kept = listeners.Select(l => l.Index).ToHashSet();
            plan.RemovedListeners.AddRange(previous.Listeners.Where(l => l.Config.Protocol != ListenerProtocol.Admin && !kept.Contains(l.Index)));
            if (previous.Listeners.FirstOrDefault(l => l.Config.Protocol == ListenerProtocol.Admin) is { } admin)
            {
                listeners.Add(admin);
            }
        }

        plan.Snapshot = new WorkerSnapshot(listeners.ToImmutable(), clusters)
        {
            ListenerSlots = _nextListenerId,
            ClusterSlots = _nextClusterId,
        };
        return plan;
    }

    /// <summary>Records the ids a plan gave out as in use; called once the change is accepted.</summary>
    public void Commit(SnapshotPlan plan)
    {
        foreach (var removed in plan.RemovedListeners)
        {
            _listenerIds.Remove((removed.Name, removed.Config.Address, removed.Config.Protocol));
        }

        foreach (var listener in plan.Snapshot.Listeners)
        {
            if (listener.Config.Protocol != ListenerProtocol.Admin)
            {
                _listenerIds[(listener.Name, listener.Config.Address, listener.Config.Protocol)] = listener.Index;
            }
        }
    }

    private ImmutableArray<ClusterRuntime> CompileClusters(ProxyConfig config, WorkerSnapshot? previous, SnapshotPlan plan)
    {
        var before = previous?.Clusters.ToDictionary(c => c.Name, StringComparer.Ordinal) ?? [];
        var clusters = ImmutableArray.CreateBuilder<ClusterRuntime>(config.Clusters.Length);
        foreach (var cluster in config.Clusters)
        {
            if (before.Remove(cluster.Name, out var current) && ReferenceEquals(current.Config, cluster))
            {
                // The very settings in effect (the xDS client keeps each cluster's translation while
                // its resources stay): nothing to compare, 10,000 times over.
                clusters.Add(current);
                continue;
            }

            if (current is not null && LiveConfigDiff.SameSettings(current.Config, cluster))
            {
                if (!LiveConfigDiff.SameHosts(current.Config, cluster))
                {
                    plan.HostChanges.Add((current, cluster));
                }

                clusters.Add(current);
                continue;
            }

            if (current is not null)
            {
                plan.RetiredClusters.Add(current);
            }

            var created = new ClusterRuntime(_nextClusterId++, cluster, workerCount);
            plan.AddedClusters.Add(created);
            clusters.Add(created);
        }

        plan.RetiredClusters.AddRange(before.Values);
        return clusters.ToImmutable();
    }

    private static ListenerRuntime CompileListener(
        int id, ListenerConfig listener, Tls.TlsServerContext? tls, ListenerRuntime? before, ImmutableArray<ClusterRuntime> clusters, Func<string, int> clusterIndex, SnapshotPlan plan)
    {
        var tcpCluster = listener.TcpProxy.Cluster.Length > 0 ? clusterIndex(listener.TcpProxy.Cluster) : -1;
        var connections = before is not null && before.Config.MaxConnections == listener.MaxConnections ? before.Connections : new ConnectionLimit(listener.MaxConnections);
        var accessLog = Sink(listener, listener.Http?.AccessLog, before?.Config.Http?.AccessLog, before?.AccessLog, AccessLogDialect.Http, plan);
        var rpcAccessLog = Sink(listener, listener.RpcProxy?.AccessLog, before?.Config.RpcProxy?.AccessLog, before?.RpcAccessLog, AccessLogDialect.Rpc, plan);
        var rpcRoutes = listener.RpcProxy is { } rpc ? new RpcRouteTable(rpc, clusters) : null;
        var httpRoutes = listener.Http is { } http ? new HttpRouteTable(http, clusterIndex) : null;
        IDownstreamSessionFactory factory = listener.Protocol switch
        {
            ListenerProtocol.Http => HttpSessionFactory.Instance,
            ListenerProtocol.Bolt => RpcFactory(listener, before?.SessionFactory, before, rpcRoutes!),
            ListenerProtocol.Auto => new DetectingSessionFactory(
                listener.Http is null ? null : HttpSessionFactory.Instance,
                listener.RpcProxy is null ? null : RpcFactory(listener with { Protocol = ListenerProtocol.Bolt }, (before?.SessionFactory as DetectingSessionFactory)?.Rpc, before, rpcRoutes!),
                listener.TcpProxy.IsConfigured ? TcpProxyFactory(listener.TcpProxy, clusterIndex) : null),
            _ => TcpProxyFactory(listener.TcpProxy, clusterIndex),
        };
        return new ListenerRuntime(id, listener, listener.Protocol is ListenerProtocol.Http or ListenerProtocol.Bolt ? -1 : tcpCluster, factory)
        {
            Routes = httpRoutes,
            RpcRoutes = rpcRoutes,
            AccessLog = accessLog,
            RpcAccessLog = rpcAccessLog,
            Tls = tls,
            Connections = connections,
        };
    }

    /// <summary>
    /// An RPC listener's factory keeps, per worker, the upstream pools and counters; a new version
    /// of the listener keeps the factory (its routes come from the version per call) unless the
    /// codec or the access log changed.
    /// </summary>
    private static IDownstreamSessionFactory RpcFactory(ListenerConfig listener, IDownstreamSessionFactory? previousFactory, ListenerRuntime? before, RpcRouteTable routes)
    {
        if (previousFactory is not null && before?.Config.RpcProxy is { } was && listener.RpcProxy is { } now
            && was.MaxFrameSize == now.MaxFrameSize && Equals(was.AccessLog, now.AccessLog))
        {
            return previousFactory;
        }

        return RpcListenerFactory.Create(listener, routes);
    }

    /// <summary>A plain TCP proxy, or, with SNI routes, one that reads the ClientHello first to pick the cluster.</summary>
    private static IDownstreamSessionFactory TcpProxyFactory(TcpProxyConfig tcp, Func<string, int> clusterIndex) =>
        tcp.SniRoutes.IsEmpty
            ? TcpProxySessionFactory.Instance
            : new SniRoutingSessionFactory(new SniRouteTable(tcp, clusterIndex), (long)tcp.InspectTimeout.TotalMilliseconds, tcp.MaxClientHelloBytes);

    /// <summary>The previous version's sink while the log's settings stay; else a newly opened one (null when none is configured).</summary>
    private static AccessLogSink? Sink(ListenerConfig listener, AccessLogConfig? config, AccessLogConfig? previousConfig, AccessLogSink? previous, AccessLogDialect dialect, SnapshotPlan plan)
    {
        if (config is null)
        {
            return null;
        }

        if (previous is not null && config == previousConfig)
        {
            return previous;
        }

        var sink = AccessLogSink.Open(config, dialect, out var error) ?? throw new StartupException($"cannot open access log {config.Path} of listener {listener.Name}: {error}");
        plan.OpenedSinks.Add(sink);
        return sink;
    }
}
