using MeshEdge.Native.Rpc;
using MeshEdge.Native.Runtime;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>
/// The RPC part of /metrics: each RPC listener's counters (bolt listeners and the RPC side of auto
/// listeners) and, per (service, method), requests, responses by status and a duration histogram.
/// Filled at scrape time from the merged worker counters, like the rest of <see cref="PrometheusExporter"/>.
/// </summary>
internal sealed class RpcPrometheusMetrics
{
    private readonly Counter _events;
    private readonly Counter _methodRequests;
    private readonly Counter _methodResponses;
    private readonly Histogram _methodDuration;

    /// <summary>Bucket counts already observed into the histogram, per (listener, service, method).</summary>
    private readonly Dictionary<(string Listener, string Service, string Method), long[]> _observedBuckets = [];

    public RpcPrometheusMetrics(MetricFactory factory)
    {
        _events = factory.CreateCounter("meshedge_rpc_events_total",
            "RPC listener counters: requests, oneway, success, error, timeout, no_route, upstream_lost, connect_fail, overflow, malformed_frame, heartbeat_answered, migrated_out, adopted, migration_fallback.",
            "listener", "protocol", "event");
        _methodRequests = factory.CreateCounter("meshedge_rpc_requests_total",
            "RPC requests (oneway included) by service and method; pairs past 1024 per listener and worker count as service=\"other\", method=\"other\".",
            "listener", "protocol", "service", "method");
        _methodResponses = factory.CreateCounter("meshedge_rpc_responses_total",
            "Responses the RPC clients got (from upstream or the proxy's own error replies) by service, method and status (the protocol's number; Bolt: 0 success, 6 no processor, 7 timeout, 16 connection closed...).",
            "listener", "protocol", "service", "method", "status");
        _methodDuration = factory.CreateHistogram("meshedge_rpc_request_duration_seconds",
            "Time from an RPC request's arrival to its answer, by service and method.",
            new HistogramConfiguration
            {
                LabelNames = ["listener", "protocol", "service", "method"],
                Buckets = [.. RpcMethodStats.DurationBucketsMs.Select(ms => ms / 1000)],
            });
    }

    public void Update(WorkerSnapshot snapshot)
    {
        foreach (var listener in snapshot.Listeners)
        {
            if (RpcStatsSources.Of(listener) is not { } source)
            {
                continue;
            }

            foreach (var (name, value) in RpcCounters.Of(source.MergeListenerStats()))
            {
                _events.WithLabels(listener.Name, source.Protocol, name).IncTo(value);
            }

            foreach (var method in source.MergeMethodStats())
            {
                _methodRequests.WithLabels(listener.Name, source.Protocol, method.Service, method.Method).IncTo(method.Requests);
                for (var slot = 0; slot < method.Statuses.Length; slot++)
                {
                    if (method.Statuses[slot] > 0)
                    {
                        _methodResponses.WithLabels(listener.Name, source.Protocol, method.Service, method.Method, RpcMethodStats.StatusLabel(slot))
                            .IncTo(method.Statuses[slot]);
                    }
                }

                ObserveNewDurations(listener.Name, source.Protocol, method);
            }
        }
    }

    /// <summary>New bucket counts are observed at their bucket's upper bound: buckets and count exact, the sum an upper bound.</summary>
    private void ObserveNewDurations(string listener, string protocol, RpcMethodStats method)
    {
        var key = (listener, method.Service, method.Method);
        if (!_observedBuckets.TryGetValue(key, out var observed))
        {
            _observedBuckets[key] = observed = new long[method.DurationBuckets.Length];
        }

        var bounds = RpcMethodStats.DurationBucketsMs;
        for (var b = 0; b < observed.Length; b++)
        {
            var delta = method.DurationBuckets[b] - observed[b];
            if (delta <= 0)
            {
                continue;
            }

            var seconds = b < bounds.Length ? bounds[b] / 1000 : bounds[^1] / 500;
            _methodDuration.WithLabels(listener, protocol, method.Service, method.Method).Observe(seconds, delta);
            observed[b] = method.DurationBuckets[b];
        }
    }
}
