using System.Collections.Immutable;
using MeshEdge.Config.AccessLog;
using MeshEdge.Config.Model;
using MeshEdge.Native.AccessLogs;
using MeshEdge.Native.Admin;
using MeshEdge.Native.Http;
using MeshEdge.Native.Http.Routing;
using MeshEdge.Native.Network;
using MeshEdge.Native.Proxy;
using MeshEdge.Native.Rpc;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Hosting;

/// <summary>Compiling the config into the snapshot workers use: listeners with their session factories, clusters, the admin listener.</summary>
internal sealed partial class ProxyHost
{
    private WorkerSnapshot BuildSnapshot(ProxyConfig config)
    {
        var clusters = config.Clusters.Select((cluster, index) => new ClusterRuntime(index, cluster, _workerCount)).ToImmutableArray();
        int ClusterIndex(string name) => clusters.First(c => c.Name == name).Index;
        var listeners = config.Listeners.Select((listener, index) => listener.Protocol switch
        {
            ListenerProtocol.Http => new ListenerRuntime(index, listener, -1, HttpSessionFactory.Instance)
            {
                Routes = new HttpRouteTable(listener.Http!, ClusterIndex),
                AccessLog = OpenAccessLog(listener, listener.Http?.AccessLog, AccessLogDialect.Http),
                Tls = _tls[index],
            },
            ListenerProtocol.Bolt => new ListenerRuntime(index, listener, -1, RpcListenerFactory.Create(listener, clusters))
            {
                RpcAccessLog = OpenAccessLog(listener, listener.RpcProxy?.AccessLog, AccessLogDialect.Rpc),
                Tls = _tls[index],
            },
            ListenerProtocol.Auto => new ListenerRuntime(
                index,
                listener,
                listener.TcpProxy.Cluster.Length > 0 ? ClusterIndex(listener.TcpProxy.Cluster) : -1,
                new DetectingSessionFactory(
                    listener.Http is null ? null : HttpSessionFactory.Instance,
                    listener.RpcProxy is null ? null : RpcListenerFactory.Create(listener with { Protocol = ListenerProtocol.Bolt }, clusters),
                    listener.TcpProxy.IsConfigured ? TcpProxyFactory(listener.TcpProxy, ClusterIndex) : null))
            {
                Routes = listener.Http is null ? null : new HttpRouteTable(listener.Http, ClusterIndex),
                AccessLog = OpenAccessLog(listener, listener.Http?.AccessLog, AccessLogDialect.Http),
                RpcAccessLog = OpenAccessLog(listener, listener.RpcProxy?.AccessLog, AccessLogDialect.Rpc),
            },
            _ => new ListenerRuntime(
                index,
                listener,
                listener.TcpProxy.Cluster.Length > 0 ? ClusterIndex(listener.TcpProxy.Cluster) : -1,
                TcpProxyFactory(listener.TcpProxy, ClusterIndex)),
        }).ToImmutableArray();
        if (config.Admin is not { } admin)
        {
            return new WorkerSnapshot(listeners, clusters);
        }

        // The admin API is one more listener (so the hot upgrade hands it over like the others),
        // whose factory needs the finished snapshot: the state is filled in once the snapshot exists.
        var adminConfig = new ListenerConfig(AdminListenerName, admin.Address, ListenerProtocol.Admin, 128, 1024 * 1024, new TcpProxyConfig("", TimeSpan.Zero, 1));
        var adminFactory = new AdminSessionFactory();
        var snapshot = new WorkerSnapshot(listeners.Add(new ListenerRuntime(listeners.Length, adminConfig, -1, adminFactory)), clusters);
        _admin = adminFactory.State = new AdminState(config, snapshot);
        return snapshot;
    }

    /// <summary>A plain TCP proxy, or, with SNI routes, one that reads the ClientHello first to pick the cluster.</summary>
    private static IDownstreamSessionFactory TcpProxyFactory(TcpProxyConfig tcp, Func<string, int> clusterIndex) =>
        tcp.SniRoutes.IsEmpty
            ? TcpProxySessionFactory.Instance
            : new SniRoutingSessionFactory(new SniRouteTable(tcp, clusterIndex), (long)tcp.InspectTimeout.TotalMilliseconds, tcp.MaxClientHelloBytes);

    /// <summary>Opens one of the listener's access logs (HTTP or RPC); null when <paramref name="config"/> is.</summary>
    private static AccessLogSink? OpenAccessLog(ListenerConfig listener, AccessLogConfig? config, AccessLogDialect dialect)
    {
        if (config is null)
        {
            return null;
        }

        var sink = AccessLogSink.Open(config, dialect, out var error);
        if (sink is null)
        {
            throw new StartupException($"cannot open access log {config.Path} of listener {listener.Name}: {error}");
        }

        return sink;
    }
}
