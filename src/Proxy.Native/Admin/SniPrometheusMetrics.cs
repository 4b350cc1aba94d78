using System.Globalization;
using MeshEdge.Native.Proxy;
using MeshEdge.Native.Runtime;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>The SNI routing part of /metrics: connections per route and cluster, and the other outcomes of the ClientHello inspection.</summary>
internal sealed class SniPrometheusMetrics(MetricFactory factory)
{
    private readonly Counter _routed = factory.CreateCounter("meshedge_tcp_sni_routed_total",
        "TLS connections a tcp_proxy sent by their ClientHello's server name, per SNI route (its index) and cluster.", "listener", "route", "cluster");

    private readonly Counter _events = factory.CreateCounter("meshedge_tcp_sni_events_total",
        "Outcomes of the ClientHello inspection besides a route: default_cluster, no_sni, no_match, not_tls, malformed, too_large, inspect_timeout, closed_early, no_cluster.",
        "listener", "event");

    public void Update(WorkerSnapshot snapshot)
    {
        foreach (var listener in snapshot.Listeners)
        {
            if (SniStatsSources.Of(listener) is not { } source)
            {
                continue;
            }

            var stats = source.MergeStats();
            var routes = source.Routes.Routes;
            for (var i = 0; i < routes.Length; i++)
            {
                _routed.WithLabels(listener.Name, i.ToString(CultureInfo.InvariantCulture), routes[i].Cluster).IncTo(stats.RouteHits[i]);
            }

            foreach (var (name, value) in stats.Events())
            {
                _events.WithLabels(listener.Name, name).IncTo(value);
            }
        }
    }
}
