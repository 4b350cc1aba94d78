using MeshEdge.Native.Runtime;
using MeshEdge.Native.Tls;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>The TLS part of /metrics: handshakes done and failed by reason, per listener that terminates TLS.</summary>
internal sealed class TlsPrometheusMetrics(MetricFactory factory)
{
    private readonly Counter _handshakes = factory.CreateCounter("meshedge_tls_handshakes_total", "TLS handshakes completed.", "listener");

    private readonly Counter _failures = factory.CreateCounter("meshedge_tls_handshake_failures_total",
        "TLS handshakes failed, by reason: not_tls, version, no_shared_cipher, timeout, peer_closed, other, no_client_certificate, bad_client_certificate.", "listener", "reason");

    public void Update(WorkerSnapshot snapshot, StatsTotals totals)
    {
        foreach (var listener in snapshot.Listeners)
        {
            if (listener.Tls is null)
            {
                continue;
            }

            var stats = totals.Listeners[listener.Index].Tls;
            _handshakes.WithLabels(listener.Name).IncTo(stats.Handshakes);
            for (var i = 0; i < TlsStats.ReasonNames.Length; i++)
            {
                _failures.WithLabels(listener.Name, TlsStats.ReasonNames[i]).IncTo(stats.Failures[i]);
            }
        }
    }
}
