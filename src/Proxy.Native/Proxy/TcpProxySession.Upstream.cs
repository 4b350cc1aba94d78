using MeshEdge.Native.Hosting;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Proxy;

/// <summary>Choosing and connecting the upstream: host after host within the attempts, behind the cluster's breakers.</summary>
internal sealed partial class TcpProxySession
{
    /// <summary>Asks the balancer for host after host until one connect starts or the attempts run out.</summary>
    private void ConnectNextHost()
    {
        var maxAttempts = _listener.Config.TcpProxy.MaxConnectAttempts;
        while (_attempts < maxAttempts)
        {
            ReleaseHost();
            if (!TryTakePendingSlot())
            {
                break;
            }

            if (!_cluster.Connections.TryAcquire())
            {
                // Circuit breaker open: fail fast rather than pile more connections on the cluster.
                _clusterStats.ConnectionsOverflow++;
                if (Log.DebugEnabled)
                {
                    Log.Debug("upstream circuit breaker open", ("cluster", _cluster.Name), ("max_connections", _cluster.Connections.Max));
                }

                break;
            }

            // A retry passes over the host whose connect just failed when another can take it.
            var host = _balancer.Pick(_clientHash, _attempts, _attempts > 0 ? _failedHost : null);
            if (host is null)
            {
                _cluster.Connections.Release();
                break;
            }

            host.RequestStarted(_worker.Id);
            _upstreamHost = host;
            _failedHost = host;
            _attempts++;
            _clusterStats.ConnectionsTotal++;
            var upstream = Connection.Connect(_worker, host.Address, this, _bufferLimit, _cluster.Tls?.TargetFor(_worker, host, _clusterStats.Tls), out var errno);
            if (upstream is not null)
            {
                _upstream = upstream;
                _worker.Timers.Arm(_connectTimer, _worker.NowMs, _cluster.ConnectTimeoutMs);
                return;
            }

            _clusterStats.ConnectFailures++;
            ReportConnectFailure();
            if (Log.DebugEnabled)
            {
                Log.Debug("upstream connect failed", ("cluster", _cluster.Name), ("host", host), ("errno", errno));
            }
        }

        // Every attempt failed: nothing was promised to the client, so close it now.
        if (Log.DebugEnabled)
        {
            Log.Debug("no upstream reachable", ("listener", _listener.Name), ("cluster", _cluster.Name), ("attempts", _attempts));
        }

        _downstream.Close(CloseMode.Abort);
    }

    /// <summary>A failed or timed-out connect is a gateway failure of its host, for outlier detection.</summary>
    private void ReportConnectFailure()
    {
        if (_upstreamHost is { } host)
        {
            _cluster.Outliers?.ReportGatewayFailure(host, _worker.Id);
        }
    }

    /// <summary>
    /// The connection (or attempt) to the host picked last is over: the balancer and the cluster's
    /// circuit breaker get their counts back.
    /// </summary>
    private void ReleaseHost()
    {
        if (_upstreamHost is { } host)
        {
            host.RequestEnded(_worker.Id);
            _cluster.Connections.Release();
            _upstreamHost = null;
        }
    }

    /// <summary>The connection is about to wait for a connect (max_pending_requests); false, counted, when too many wait already.</summary>
    private bool TryTakePendingSlot()
    {
        if (!_holdsPendingSlot)
        {
            _holdsPendingSlot = _cluster.Breakers.PendingRequests.TryAcquire();
            if (!_holdsPendingSlot)
            {
                _clusterStats.PendingOverflow++;
                if (Log.DebugEnabled)
                {
                    Log.Debug("upstream circuit breaker open", ("cluster", _cluster.Name), ("max_pending_requests", _cluster.Breakers.PendingRequests.Max));
                }
            }
        }

        return _holdsPendingSlot;
    }

    private void ReleasePendingSlot()
    {
        if (_holdsPendingSlot)
        {
            _holdsPendingSlot = false;
            _cluster.Breakers.PendingRequests.Release();
        }
    }
}
