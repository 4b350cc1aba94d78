using MeshEdge.Native.Runtime;
using MeshEdge.Native.Tls;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>The TLS origination part of /metrics: per cluster with a tls table, handshakes, resumed sessions and failures by reason.</summary>
internal sealed class TlsClientPrometheusMetrics(MetricFactory factory)
{
    private readonly Counter _handshakes = factory.CreateCounter("meshedge_upstream_tls_handshakes_total", "TLS handshakes with upstream hosts completed.", "cluster");

    private readonly Counter _resumed = factory.CreateCounter("meshedge_upstream_tls_sessions_resumed_total",
        "Upstream TLS handshakes that resumed an earlier session (no full handshake).", "cluster");

    private readonly Counter _failures = factory.CreateCounter("meshedge_upstream_tls_handshake_failures_total",
        "TLS handshakes with upstream hosts failed, by reason: " + string.Join(", ", TlsClientStats.ReasonNames) + ".", "cluster", "reason");

    public void Update(WorkerSnapshot snapshot, StatsTotals totals)
    {
        foreach (var cluster in snapshot.Clusters)
        {
            if (cluster.Tls is null)
            {
                continue;
            }

            var stats = totals.Clusters[cluster.Index].Tls;
            _handshakes.WithLabels(cluster.Name).IncTo(stats.Handshakes);
            _resumed.WithLabels(cluster.Name).IncTo(stats.Resumed);
            for (var i = 0; i < TlsClientStats.ReasonNames.Length; i++)
            {
                _failures.WithLabels(cluster.Name, TlsClientStats.ReasonNames[i]).IncTo(stats.Failures[i]);
            }
        }
    }
}
