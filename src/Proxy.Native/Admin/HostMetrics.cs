using MeshEdge.Native.Upstream;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>
/// The per-host gauges of /metrics: health, ejection, active requests and connections. Hosts come
/// and go (DNS answers, discovery pushes), so the series of a host no longer in its cluster are
/// removed at the next scrape rather than left reporting their last values forever.
/// </summary>
internal sealed class HostMetrics(MetricFactory factory)
{
    private readonly Gauge _healthy = factory.CreateGauge("meshedge_upstream_host_healthy", "1 when the host passes its health checks.", "cluster", "host");
    private readonly Gauge _ejected = factory.CreateGauge("meshedge_upstream_host_ejected", "1 while outlier detection keeps the host out.", "cluster", "host");
    private readonly Gauge _activeRequests = factory.CreateGauge("meshedge_upstream_host_requests_active", "Requests (or TCP connections) in progress on the host.", "cluster", "host");
    private readonly Gauge _connections = factory.CreateGauge("meshedge_upstream_host_connections_active", "Connections open to the host.", "cluster", "host");
    private readonly Dictionary<string, HashSet<string>> _published = [];

    public void Export(ClusterRuntime cluster)
    {
        var name = cluster.Name;
        if (!_published.TryGetValue(name, out var published))
        {
            published = [];
            _published[name] = published;
        }

        var current = new HashSet<string>();
        foreach (var host in cluster.Hosts)
        {
            current.Add(host.Name);
            _healthy.WithLabels(name, host.Name).Set(host.PassesChecks ? 1 : 0);
            _ejected.WithLabels(name, host.Name).Set(host.IsEjected ? 1 : 0);
            _activeRequests.WithLabels(name, host.Name).Set(host.ActiveRequests);
            _connections.WithLabels(name, host.Name).Set(host.Connections);
        }

        foreach (var gone in published.Where(h => !current.Contains(h)).ToArray())
        {
            _healthy.RemoveLabelled(name, gone);
            _ejected.RemoveLabelled(name, gone);
            _activeRequests.RemoveLabelled(name, gone);
            _connections.RemoveLabelled(name, gone);
        }

        _published[name] = current;
    }
}
