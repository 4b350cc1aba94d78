using MeshEdge.Codecs.Rpc;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// One worker's multiplexed connections to one cluster: <c>connections_per_host</c> per host, made on
/// demand and shared by every downstream session of the worker. The balancer picks a host per
/// request; a request that has not reached any upstream (its connect failed) is sent again to the
/// next pick, up to <c>max_connect_attempts</c> hosts.
/// </summary>
internal sealed class RpcUpstreamPool<TCodec>
    where TCodec : struct, IRpcCodec
{
    private readonly RpcWorkerContext<TCodec> _context;
    private readonly ILoadBalancer _balancer;
    private readonly RpcUpstreamConnection<TCodec>?[] _connections;
    private readonly int[] _cursors;
    private readonly int _perHost;

    public RpcUpstreamPool(RpcWorkerContext<TCodec> context, ClusterRuntime cluster)
    {
        _context = context;
        Cluster = cluster;
        _balancer = context.Worker.Balancers[cluster.Index];
        _perHost = context.Config.ConnectionsPerHost;
        _connections = new RpcUpstreamConnection<TCodec>?[cluster.Hosts.Length * _perHost];
        _cursors = new int[cluster.Hosts.Length];
    }

    public ClusterRuntime Cluster { get; }

    public bool HasConnections
    {
        get
        {
            foreach (var connection in _connections)
            {
                if (connection is not null)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/>, whose frame is the first <c>Info.Length</c> bytes of
    /// <paramref name="source"/> (the client's input, or the request's own chain on a retry). In every
    /// outcome those bytes leave <paramref name="source"/>: forwarded, held for a connect, or dropped
    /// with an error response.
    /// </summary>
    public void Send(RpcRequest<TCodec> request, BlockChain source)
    {
        var pool = _context.Worker.Pool;
        while (true)
        {
            if (request.Attempts >= _context.Config.MaxConnectAttempts)
            {
                source.Consume(request.Info.Length, pool);
                request.Session!.FailUnreachable(request);
                return;
            }

            if (request.HostIndex >= 0)
            {
                _balancer.Release(request.HostIndex);
            }

            var host = PickHost(request);
            request.HostIndex = host;
            request.Attempts++;
            var connection = ConnectionTo(host, out var overflow);
            if (connection is not null && !connection.IsOpen && !_context.TryTakePendingSlot(request))
            {
                // It would wait for a connect, and max_pending_requests are waiting already.
                source.Consume(request.Info.Length, pool);
                request.Session!.Fail(request, RpcErrorKind.Overloaded);
                return;
            }

            if (connection is not null)
            {
                connection.Send(request, source);
                return;
            }

            if (overflow)
            {
                source.Consume(request.Info.Length, pool);
                request.Session!.Fail(request, RpcErrorKind.Overloaded);
                return;
            }

            // The connect failed at once (no route to the host, out of fds): try the next pick.
            request.FailedHost = host;
            _context.ClusterStats[Cluster.Index].Retries++;
        }
    }

    /// <summary>Requests that were waiting on a connection whose connect failed go to the next pick.</summary>
    public void Retry(RpcRequest<TCodec> request, int failedHost)
    {
        request.FailedHost = failedHost;
        _context.ClusterStats[Cluster.Index].Retries++;
        Send(request, request.Frame);
    }

    public void Remove(RpcUpstreamConnection<TCodec> connection)
    {
        if (_connections[connection.Slot] == connection)
        {
            _connections[connection.Slot] = null;
        }
    }

    /// <summary>Probes every open connection that has been silent since <paramref name="idleSinceMs"/>.</summary>
    public void SendHeartbeats(long idleSinceMs)
    {
        foreach (var connection in _connections)
        {
            connection?.HeartbeatIfIdle(idleSinceMs);
        }
    }

    public void CloseAll()
    {
        foreach (var connection in _connections)
        {
            connection?.Close();
        }
    }

    private RpcUpstreamConnection<TCodec>? ConnectionTo(int host, out bool overflow)
    {
        overflow = false;
        var slot = (host * _perHost) + (_perHost == 1 ? 0 : _cursors[host]++ % _perHost);
        if (_connections[slot] is { IsUsable: true } existing)
        {
            return existing;
        }

        if (!Cluster.Connections.TryAcquire())
        {
            // Circuit breaker open: fail the request now rather than pile more connections on the cluster.
            _context.Worker.Stats.Clusters[Cluster.Index].ConnectionsOverflow++;
            overflow = true;
            return null;
        }

        var connection = new RpcUpstreamConnection<TCodec>(_context, this, slot, host);
        if (!connection.Connect())
        {
            return null;
        }

        _connections[slot] = connection;
        return connection;
    }

    /// <summary>
    /// The balancer's pick, passed over while it fails health checks (unless the cluster is in panic)
    /// or is the host whose connect just failed for this request: a retry goes somewhere else.
    /// </summary>
    private int PickHost(RpcRequest<TCodec> request)
    {
        var host = _balancer.Pick(request.ClientHash, request.Attempts);
        var health = Cluster.Health;
        for (var skip = 1; skip <= Cluster.Hosts.Length && ShouldSkip(host, request.FailedHost, health); skip++)
        {
            _balancer.Release(host);
            host = _balancer.Pick(request.ClientHash, request.Attempts + skip);
        }

        return host;
    }

    private bool ShouldSkip(int host, int failedHost, HostHealth health) =>
        (host == failedHost && Cluster.Hosts.Length > 1) || (!health.IsHealthy(host) && health.Steers);
}
