using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>
/// The multiplexed RPC session of a <c>bolt</c> listener: requests are routed on their headers to
/// clusters and sent over a small per-worker pool of shared upstream connections.
/// </summary>
/// <param name="Routes">Tried in order; the first whose match holds picks the cluster.</param>
/// <param name="Cluster">Where requests that match no route go; null answers them with a no-route error.</param>
/// <param name="Timeout">Used when a request carries no timeout of its own (and its route sets none).</param>
/// <param name="MaxConnectAttempts">Hosts tried for a request that has not reached any upstream yet.</param>
/// <param name="ConnectionsPerHost">At most this many upstream connections per host per worker, opened on demand and
/// shared by all sessions of the worker; with client affinity each client connection takes its own while there are
/// no more client connections than this.</param>
/// <param name="MaxFrameSize">Frames declaring more bytes are malformed: the connection is closed.</param>
/// <param name="UpstreamHeartbeatInterval">An upstream connection idle this long gets a heartbeat probe (servers
/// close connections that stay silent); zero sends none.</param>
public sealed record RpcProxyConfig(
    ImmutableArray<RpcRouteConfig> Routes,
    string? Cluster,
    TimeSpan Timeout,
    int MaxConnectAttempts,
    int ConnectionsPerHost,
    int MaxFrameSize,
    TimeSpan UpstreamHeartbeatInterval)
{
    /// <summary>One line per finished request (<c>access_log = { path, format }</c>); null logs nothing.</summary>
    public AccessLogConfig? AccessLog { get; init; }

    /// <summary>When the frames of one read are written on (<c>flush</c>).</summary>
    public RpcFlush Flush { get; init; } = RpcFlush.Turn;

    /// <summary>How calls pick one of a host's connections (<c>connection_affinity</c>).</summary>
    public RpcConnectionAffinity ConnectionAffinity { get; init; } = RpcConnectionAffinity.Client;
}
