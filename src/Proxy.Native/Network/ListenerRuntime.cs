using MeshEdge.Config.Model;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Network;

/// <summary>
/// One version of a listener as every worker sees it: its config, the session it starts, and the
/// connection count behind max_connections (the one piece of it workers share). A live config
/// change makes a new version with the same <see cref="Index"/>; each worker switches its sockets
/// to it between events, and sessions fetch the current version per request (Worker.Listener).
/// </summary>
internal sealed class ListenerRuntime(int index, ListenerConfig config, int clusterIndex, IDownstreamSessionFactory sessionFactory)
{
    /// <summary>The listener's stable id: the same in every version of it, never reused for another listener.</summary>
    public int Index { get; } = index;

    public ListenerConfig Config { get; } = config;

    public string Name => Config.Name;

    /// <summary>The cluster a TCP proxy forwards to, as a cluster id; -1 for routed protocols.</summary>
    public int ClusterIndex { get; } = clusterIndex;

    public IDownstreamSessionFactory SessionFactory { get; } = sessionFactory;

    /// <summary>The compiled routes of an HTTP listener; null for other protocols.</summary>
    public Http.Routing.HttpRouteTable? Routes { get; init; }

    /// <summary>The compiled routes of an RPC listener (or of an auto listener's RPC side); null when it has none.</summary>
    public Rpc.RpcRouteTable? RpcRoutes { get; init; }

    /// <summary>Where an HTTP listener's access log goes; null when it has none.</summary>
    public AccessLogs.AccessLogSink? AccessLog { get; init; }

    /// <summary>Where an RPC listener's (or an auto listener's RPC side's) access log goes; null when it has none.</summary>
    public AccessLogs.AccessLogSink? RpcAccessLog { get; init; }

    /// <summary>The TLS a listener terminates; null for plaintext. Read per connection, so a new version's certificates apply to new connections.</summary>
    public Tls.TlsServerContext? Tls { get; init; }

    /// <summary>Open connections against max_connections; a new version with the same limit carries the count over.</summary>
    public ConnectionLimit Connections { get; init; } = new(config.MaxConnections);
}
