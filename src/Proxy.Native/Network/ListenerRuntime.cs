using MeshEdge.Config.Model;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Network;

/// <summary>
/// A listener as every worker sees it: its config, the session it starts, and the connection
/// count behind max_connections (the one piece of it workers share).
/// </summary>
internal sealed class ListenerRuntime(int index, ListenerConfig config, int clusterIndex, IDownstreamSessionFactory sessionFactory)
{
    public int Index { get; } = index;

    public ListenerConfig Config { get; } = config;

    public string Name => Config.Name;

    /// <summary>The cluster a TCP proxy forwards to, as an index into the snapshot's clusters; -1 for routed protocols.</summary>
    public int ClusterIndex { get; } = clusterIndex;

    public IDownstreamSessionFactory SessionFactory { get; } = sessionFactory;

    /// <summary>The compiled routes of an HTTP listener; null for other protocols.</summary>
    public Http.Routing.HttpRouteTable? Routes { get; init; }

    /// <summary>Where an HTTP listener's access log goes; null when it has none.</summary>
    public AccessLogs.AccessLogSink? AccessLog { get; init; }

    /// <summary>Where an RPC listener's (or an auto listener's RPC side's) access log goes; null when it has none.</summary>
    public AccessLogs.AccessLogSink? RpcAccessLog { get; init; }

    /// <summary>The TLS a listener terminates; null for plaintext.</summary>
    public Tls.TlsServerContext? Tls { get; init; }

    public ConnectionLimit Connections { get; } = new(config.MaxConnections);
}
