using MeshEdge.Native.Upstream;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>
/// The host gauges of /metrics: per cluster the host count, healthy count, membership version and
/// success-rate ejections; per host health, ejection, active requests and connections. Hosts come
/// and go (DNS answers, discovery pushes), so the series of a host no longer in its cluster are
/// removed at the next scrape rather than left reporting their last values forever.
/// </summary>
internal sealed class HostMetrics(MetricFactory factory)
{
    private readonly Gauge _healthy = factory.CreateGauge("meshedge_upstream_host_healthy", "1 when the host passes its health checks.", "cluster", "host");
    private readonly Gauge _ejected = factory.CreateGauge("meshedge_upstream_host_ejected", "1 while outlier detection keeps the host out.", "cluster", "host");
    private readonly Gauge _activeRequests = factory.CreateGauge("meshedge_upstream_host_requests_active", "Requests (or TCP connections) in progress on the host.", "cluster", "host");
    private readonly Gauge _connections = factory.CreateGauge("meshedge_upstream_host_connections_active", "Connections open to the host.", "cluster", "host");
    private readonly Gauge _hosts = factory.CreateGauge("meshedge_upstream_hosts", "Hosts in the cluster now, and how many of them may take traffic.", "cluster", "state");
    private readonly Gauge _hostSetVersion = factory.CreateGauge("meshedge_upstream_host_set_version", "Membership changes (DNS answers, eds updates) since start.", "cluster");
    private readonly Counter _successRateEjections = factory.CreateCounter("meshedge_upstream_success_rate_ejections_total", "Hosts ejected by success-rate outlier detection.", "cluster");
    private readonly Dictionary<string, HashSet<string>> _published = [];

    public void Export(ClusterRuntime cluster)
    {
        var name = cluster.Name;
        var snapshot = cluster.Snapshot;
        _hosts.WithLabels(name, "total").Set(snapshot.Set.Hosts.Length);
        _hosts.WithLabels(name, "healthy").Set(snapshot.HealthyCount);
        _hostSetVersion.WithLabels(name).Set(snapshot.Set.Version);
        _successRateEjections.WithLabels(name).IncTo(cluster.Outliers?.SuccessRateEjections ?? 0);
        if (!_published.TryGetValue(name, out var published))
        {
            published = [];
            _published[name] = published;
        }

        var current = new HashSet<string>();
        foreach (var host in snapshot.Set.Hosts)
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
