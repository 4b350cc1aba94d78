using System.Runtime.CompilerServices;
using MeshEdge.Codecs.Rpc;
using MeshEdge.Config.Model;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Rpc;

/// <summary>
/// One worker's multiplexed connections to one cluster: up to <c>connections_per_host</c> per host, made on
/// demand and shared by every downstream session of the worker (by default each client connection has
/// its own while there are no more than that, see <see cref="RpcSessionOrdinals"/>). Connections to a host that leaves
/// the cluster take no new requests and close once their last answer is in (at the heartbeat sweep). The balancer picks a host per
/// request; a request that has not reached any upstream (its connect failed) is sent again to the
/// next pick, up to <c>max_connect_attempts</c> hosts. Which of a host's connections a call takes:
/// its client connection's (<c>connection_affinity = "client"</c>) or the next in turn (<c>"none"</c>).
/// </summary>
internal sealed class RpcUpstreamPool<TCodec> : IUpstreamConnectionPool
    where TCodec : struct, IRpcCodec
{
    private readonly RpcWorkerContext<TCodec> _context;
    private readonly ClusterBalancer _balancer;
    private readonly Dictionary<UpstreamHost, HostConnections> _hosts = [];
    private readonly int _perHost;
    private readonly bool _byClient;

    /// <summary>The host of the last pick and its connections: most picks repeat it (one host, or a hash key), and this skips the map.</summary>
    private UpstreamHost? _lastHost;
    private HostConnections? _lastConnections;

    /// <summary>The cluster's host snapshot last looked at by <see cref="Examine"/>; a new one (membership, health) is looked at again.</summary>
    private HostSnapshot? _examined;

    /// <summary>
    /// The connections of the one host every pick of <see cref="_examined"/> gives (one routable host,
    /// no hash table: the balancer's own shortcut), else null. While the snapshot stays, a client's
    /// call takes its connection from here without a pick.
    /// </summary>
    private HostConnections? _single;

    public RpcUpstreamPool(RpcWorkerContext<TCodec> context, ClusterRuntime cluster)
    {
        _context = context;
        Cluster = cluster;
        _balancer = context.Worker.Balancers[cluster.Index];
        _perHost = context.Config.ConnectionsPerHost;
        _byClient = context.Config.ConnectionAffinity == RpcConnectionAffinity.Client;
    }

    public ClusterRuntime Cluster { get; }

    /// <summary>Connections open or connecting, or a call of the context under way on the cluster (between picks, it may hold none).</summary>
    public bool InUse => HasConnections || _context.HasCallsTo(Cluster.Index);

    /// <summary>The context's slot for this cluster goes: a later call routed to it (none, once retired) would make a new pool.</summary>
    public void Forget() => _context.ForgetPool(Cluster.Index);

    public bool HasConnections
    {
        get
        {
            foreach (var host in _hosts.Values)
            {
                foreach (var connection in host.Slots)
                {
                    if (connection is not null)
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/>, whose frame is the <c>Info.Length</c> bytes of
    /// <paramref name="source"/> (the client's input, or the request's own chain on a retry) after the
    /// context's open run (<see cref="RpcFrameRun.OffsetIn"/>). In every outcome those bytes leave
    /// <paramref name="source"/>: forwarded (joining the run), held for a connect, or dropped with an
    /// error response. <paramref name="bytes"/>: the frame's bytes when they lie in one block of
    /// <paramref name="source"/> (its id is rewritten there), else empty.
    /// </summary>
    /// <remarks>Inlined into the session's request step with the connection's send: the first attempt's path is a few loads and stores.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Send(RpcRequest<TCodec> request, BlockChain source, Span<byte> bytes)
    {
        if (request.Attempts == 0 && SingleHostConnection(request) is { } connection)
        {
            // The pick is known and the client's connection is up: what the loop below would do, without the loop.
            var host = connection.Host;
            host.RequestStarted(_context.Worker.Id);
            TakeHost(request, host);
            request.Attempts = 1;
            connection.Send(request, source, bytes);
            return;
        }

        SendPicked(request, source, bytes);
    }

    /// <summary><paramref name="request"/> counts among <paramref name="host"/>'s active requests: its reference stored only when it changes (<see cref="RpcRequest{TCodec}.Host"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TakeHost(RpcRequest<TCodec> request, UpstreamHost host)
    {
        if (!ReferenceEquals(request.Host, host))
        {
            request.Host = host;
        }

        request.HoldsHost = true;
    }

    /// <summary>
    /// The open connection <paramref name="request"/>'s first attempt takes when the cluster has one
    /// routable host and calls keep to their client's connection (or there is one per host); else
    /// null, and the balancer picks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private RpcUpstreamConnection<TCodec>? SingleHostConnection(RpcRequest<TCodec> request)
    {
        var snapshot = Cluster.Snapshot;
        if (!ReferenceEquals(snapshot, _examined))
        {
            Examine(snapshot);
        }

        if (_single is not { } connections || !(_byClient || _perHost == 1))
        {
            return null;
        }

        var slot = _perHost == 1 ? 0 : (int)((uint)request.Session!.Ordinal % (uint)_perHost);
        return connections.Slots[slot] is { IsOpen: true, IsUsable: true } connection ? connection : null;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Examine(HostSnapshot snapshot)
    {
        _examined = snapshot;
        _single = null;
        var routable = snapshot.Routable;
        if (routable.Length == 1 && routable[0].Length == 1 && snapshot.Set.Tables[0] is null)
        {
            var host = routable[0][0];
            if (!_hosts.TryGetValue(host, out var connections))
            {
                connections = new HostConnections(_perHost);
                _hosts[host] = connections;
            }

            _single = connections;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void SendPicked(RpcRequest<TCodec> request, BlockChain source, Span<byte> bytes)
    {
        while (true)
        {
            // max_connect_attempts is at least 1: the first attempt needs no look at the listener's current settings.
            if (request.Attempts > 0 && request.Attempts >= _context.Config.MaxConnectAttempts)
            {
                _context.Run.Consume(source, request.Info.Length);
                request.Session!.FailUnreachable(request);
                return;
            }

            if (request.HoldsHost)
            {
                request.HoldsHost = false;
                request.Host!.RequestEnded(_context.Worker.Id);
            }

            var host = _balancer.Pick(request.ClientHash, request.Attempts, request.FailedHost);
            if (host is null)
            {
                _context.Run.Consume(source, request.Info.Length);
                request.Session!.FailUnreachable(request);
                return;
            }

            host.RequestStarted(_context.Worker.Id);
            TakeHost(request, host);
            request.Attempts++;
            var connection = ConnectionTo(request, host, out var overflow);
            if (connection is not null && !connection.IsOpen && !_context.TryTakePendingSlot(request))
            {
                // It would wait for a connect, and max_pending_requests are waiting already.
                _context.Run.Consume(source, request.Info.Length);
                request.Session!.Fail(request, RpcErrorKind.Overloaded);
                return;
            }

            if (connection is not null)
            {
                connection.Send(request, source, bytes);
                return;
            }

            if (overflow)
            {
                _context.Run.Consume(source, request.Info.Length);
                request.Session!.Fail(request, RpcErrorKind.Overloaded);
                return;
            }

            // The connect failed at once (no route to the host, out of fds): try the next pick.
            request.FailedHost = host;
            _context.ClusterStats[Cluster.Index].Retries++;
        }
    }

    /// <summary>Requests that were waiting on a connection whose connect failed go to the next pick.</summary>
    public void Retry(RpcRequest<TCodec> request, UpstreamHost failedHost)
    {
        request.FailedHost = failedHost;
        _context.ClusterStats[Cluster.Index].Retries++;
        Send(request, request.Frame, default);
        _context.Run.Flush();
    }

    public void Remove(RpcUpstreamConnection<TCodec> connection)
    {
        if (_hosts.TryGetValue(connection.Host, out var host) && host.Slots[connection.Slot] == connection)
        {
            host.Slots[connection.Slot] = null;
        }
    }

    /// <summary>Probes every open connection that has been silent since <paramref name="idleSinceMs"/>.</summary>
    public void SendHeartbeats(long idleSinceMs)
    {
        foreach (var connections in _hosts.Values)
        {
            foreach (var connection in connections.Slots)
            {
                connection?.HeartbeatIfIdle(idleSinceMs);
            }
        }
    }

    /// <summary>Connections to removed hosts close once their last answer is in; this runs again at every maintenance tick.</summary>
    public void DrainRemovedHosts()
    {
        foreach (var (host, connections) in _hosts)
        {
            if (!host.IsRemoved)
            {
                continue;
            }

            foreach (var connection in connections.Slots)
            {
                if (connection is { HasRequests: false })
                {
                    connection.Close();
                }
            }

            if (Array.TrueForAll(connections.Slots, c => c is null))
            {
                _hosts.Remove(host);
                _examined = null;
                _single = null;
                if (_lastHost == host)
                {
                    _lastHost = null;
                    _lastConnections = null;
                }
            }
        }
    }

    /// <summary>
    /// Closes the connections no live session's calls take any more (their clients left), once they have
    /// been so for the cluster's <c>connection_pool.idle_timeout</c> with nothing in flight: the pool
    /// shrinks back as clients leave, as a relay's server connections close with their clients.
    /// Runs at every maintenance tick.
    /// </summary>
    public void CloseUnpaired(RpcSessionOrdinals sessions, long nowMs)
    {
        var paired = sessions.PairedSlots(_perHost, _byClient);
        var idleMs = (long)Cluster.Config.ConnectionPool.IdleTimeout.TotalMilliseconds;
        foreach (var connections in _hosts.Values)
        {
            for (var slot = 0; slot < connections.Slots.Length; slot++)
            {
                if (connections.Slots[slot] is not { } connection || (paired & (1UL << slot)) != 0 || connection.HasRequests)
                {
                    connections.UnpairedSinceMs[slot] = 0;
                    continue;
                }

                if (connections.UnpairedSinceMs[slot] == 0)
                {
                    connections.UnpairedSinceMs[slot] = nowMs;
                }
                else if (nowMs - connections.UnpairedSinceMs[slot] >= idleMs)
                {
                    connections.UnpairedSinceMs[slot] = 0;
                    _context.ClusterStats[Cluster.Index].UnpairedClosed++;
                    connection.Close();
                }
            }
        }
    }

    public void CloseIdle()
    {
        foreach (var connections in _hosts.Values)
        {
            foreach (var connection in connections.Slots)
            {
                if (connection is { HasRequests: false })
                {
                    connection.Close();
                }
            }
        }
    }

    public void CloseAll()
    {
        foreach (var connections in _hosts.Values)
        {
            foreach (var connection in connections.Slots)
            {
                connection?.Close();
            }
        }
    }

    private RpcUpstreamConnection<TCodec>? ConnectionTo(RpcRequest<TCodec> request, UpstreamHost host, out bool overflow)
    {
        overflow = false;
        if (host != _lastHost || _lastConnections is not { } connections)
        {
            if (!_hosts.TryGetValue(host, out connections))
            {
                connections = new HostConnections(_perHost);
                _hosts[host] = connections;
            }

            _lastHost = host;
            _lastConnections = connections;
        }

        // By client: each client connection keeps to one connection, as a relay gives each its own,
        // so two clients' calls are not merged into one wave that the server answers as one.
        // (Unsigned: the counters wrap after 2^31 sessions or calls.)
        var slot = _perHost == 1 ? 0 : (int)((uint)(_byClient ? request.Session!.Ordinal : connections.Cursor++) % (uint)_perHost);
        if (connections.Slots[slot] is { IsUsable: true } existing)
        {
            return existing;
        }

        if (!Cluster.Connections.TryAcquire())
        {
            // Circuit breaker open: a client's own connection is a preference, so share another of the
            // host's connections; with none, fail the request now rather than pile more connections on the cluster.
            if (AnyUsable(connections) is { } shared)
            {
                return shared;
            }

            _context.Worker.Stats.Clusters[Cluster.Index].ConnectionsOverflow++;
            overflow = true;
            return null;
        }

        var connection = new RpcUpstreamConnection<TCodec>(_context, this, slot, host);
        if (!connection.Connect())
        {
            return null;
        }

        connections.Slots[slot] = connection;
        return connection;
    }

    private static RpcUpstreamConnection<TCodec>? AnyUsable(HostConnections connections)
    {
        foreach (var connection in connections.Slots)
        {
            if (connection is { IsUsable: true })
            {
                return connection;
            }
        }

        return null;
    }

    /// <summary>This worker's connections to one host, and the cursor spreading requests over them.</summary>
    private sealed class HostConnections(int perHost)
    {
        public RpcUpstreamConnection<TCodec>?[] Slots { get; } = new RpcUpstreamConnection<TCodec>?[perHost];

        /// <summary>Per slot, since when (worker ms) no live session's calls take it; 0 while one does.</summary>
        public long[] UnpairedSinceMs { get; } = new long[perHost];

        public int Cursor { get; set; }
    }
}
