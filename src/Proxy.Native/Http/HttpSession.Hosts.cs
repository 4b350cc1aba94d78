using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Http;

/// <summary>Which host an attempt goes to, and giving the balancer its count back.</summary>
internal sealed partial class HttpSession
{
    /// <summary>
    /// The balancer's pick, asked again (up to once per host) while it is out of rotation (failing
    /// health checks or ejected, unless the cluster is in panic) or, on a retry, is the host the
    /// previous try just failed on: a retry goes somewhere else, as the RPC pool's do. Round robin
    /// alone does not ensure that, since other requests' picks come in between.
    /// </summary>
    private int PickHealthyHost(ClusterRuntime cluster)
    {
        var failedHost = _attempts > 1 && cluster.Hosts.Length > 1 ? _attemptHost : -1;
        var host = _balancer.Pick(0, _attempts - 1);
        var health = cluster.Health;
        for (var skip = 1; skip <= cluster.Hosts.Length && (host == failedHost || (!health.IsHealthy(host) && health.Steers)); skip++)
        {
            _balancer.Release(host);
            host = _balancer.Pick(0, _attempts - 1 + skip);
        }

        return host;
    }

    private void ReleaseHost()
    {
        if (_upstreamHost >= 0)
        {
            _balancer.Release(_upstreamHost);
            _upstreamHost = -1;
        }
    }
}
