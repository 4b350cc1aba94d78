using MeshEdge.Config.Model;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Stats;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>
/// /metrics in the Prometheus text format, produced by prometheus-net from a registry of our own.
/// The data path never touches these objects: at each scrape the merged worker counters are copied
/// in (counters move up to the current total, gauges are set), then the registry is exported.
/// Request durations are kept per worker as bucket counts; each scrape observes the new counts at
/// their bucket's upper bound, so the buckets and count are exact and the sum is an upper bound.
/// </summary>
internal sealed class PrometheusExporter
{
    private static readonly string[] StatusClasses = ["", "1xx", "2xx", "3xx", "4xx", "5xx"];

    private readonly Lock _lock = new();
    private readonly CollectorRegistry _registry = global::Prometheus.Metrics.NewCustomRegistry();
    private readonly Counter _listenerConnections;
    private readonly Gauge _listenerActive;
    private readonly Counter _listenerBytes;
    private readonly Counter _requests;
    private readonly Gauge _activeRequests;
    private readonly Counter _responses;
    private readonly Counter _localReplies;
    private readonly Counter _badRequests;
    private readonly Counter _detectionFailures;
    private readonly Histogram _duration;
    private readonly Counter _upstreamConnections;
    private readonly Gauge _upstreamActive;
    private readonly Counter _upstreamConnectFailures;
    private readonly Counter _upstreamRequests;
    private readonly Counter _upstreamResponses;
    private readonly Counter _upstreamRetries;
    private readonly Counter _upstreamRetriesResetBeforeResponse;
    private readonly Counter _upstreamOverflow;
    private readonly Counter _breakerOverflow;
    private readonly Gauge _breakerOpen;
    private readonly Counter _upstreamBytes;
    private readonly HostMetrics _hosts;
    private readonly Counter _ejections;
    private readonly RpcPrometheusMetrics _rpc;
    private readonly SniPrometheusMetrics _sni;
    private readonly TlsPrometheusMetrics _tls;
    private readonly Http2PrometheusMetrics _http2;
    private readonly TlsClientPrometheusMetrics _upstreamTls;
    private readonly Http2UpstreamPrometheusMetrics _upstreamHttp2;
    private readonly SecretPrometheusMetrics _secrets;
    private readonly WorkerMetrics _workers;
    private readonly MemoryMetrics _memory;
    private readonly XdsPrometheusMetrics _xds;
    private readonly ModeMetrics _mode;
    private readonly IdleTrimMetrics _idleTrim;
    private long[][] _observedBuckets;
    private readonly LiveConfigMetrics _liveConfig;

    /// <summary>The snapshot in effect; a live config change replaces it.</summary>
    public WorkerSnapshot Snapshot { get; set; }

    /// <summary>Live configuration counters (reloads, apply latency, last success); set by the admin state.</summary>
    public Hosting.LiveConfigStatus? LiveConfig { get; set; }

    public PrometheusExporter(WorkerSnapshot snapshot)
    {
        Snapshot = snapshot;
        var factory = global::Prometheus.Metrics.WithCustomRegistry(_registry);
        _listenerConnections = factory.CreateCounter("meshedge_listener_connections_total", "Downstream connections accepted.", "listener");
        _listenerActive = factory.CreateGauge("meshedge_listener_connections_active", "Downstream connections open now.", "listener");
        _listenerBytes = factory.CreateCounter("meshedge_listener_bytes_total", "Bytes to and from downstream.", "listener", "direction");
        _detectionFailures = factory.CreateCounter("meshedge_listener_detection_failures_total",
            "Connections of an auto listener closed because their first bytes named no protocol it serves.", "listener");
        _requests = factory.CreateCounter("meshedge_http_requests_total", "HTTP requests whose head was read.", "listener");
        _activeRequests = factory.CreateGauge("meshedge_http_requests_active", "HTTP requests in progress.", "listener");
        _responses = factory.CreateCounter("meshedge_http_responses_total", "HTTP responses sent downstream by status class.", "listener", "class");
        _localReplies = factory.CreateCounter("meshedge_http_local_replies_total", "Responses made by the proxy itself (no route, upstream failure, bad request, timeout).", "listener");
        _badRequests = factory.CreateCounter("meshedge_http_bad_requests_total", "HTTP requests refused as malformed (400, 408, 413, 414, 431, 501, 505).", "listener");
        _duration = factory.CreateHistogram("meshedge_http_request_duration_seconds", "Time from the request head to the end of the response.",
            new HistogramConfiguration { LabelNames = ["listener"], Buckets = [.. ListenerStats.DurationBucketsMs.Select(ms => ms / 1000)] });
        _upstreamConnections = factory.CreateCounter("meshedge_upstream_connections_total", "Upstream connections opened.", "cluster");
        _upstreamActive = factory.CreateGauge("meshedge_upstream_connections_active", "Upstream connections open now.", "cluster");
        _upstreamConnectFailures = factory.CreateCounter("meshedge_upstream_connect_failures_total", "Upstream connects that failed or timed out.", "cluster");
        _upstreamRequests = factory.CreateCounter("meshedge_upstream_requests_total", "HTTP requests sent upstream, retries included.", "cluster");
        _upstreamResponses = factory.CreateCounter("meshedge_upstream_responses_total", "Upstream HTTP responses by status class.", "cluster", "class");
        _upstreamRetries = factory.CreateCounter("meshedge_upstream_retries_total", "HTTP requests tried again.", "cluster");
        _upstreamRetriesResetBeforeResponse = factory.CreateCounter(
            "meshedge_upstream_retries_reset_before_response_total", "Idempotent HTTP requests tried again by default after a reused connection was lost before the response.", "cluster");
        _upstreamOverflow = factory.CreateCounter("meshedge_upstream_overflow_total", "Connections refused by the circuit breaker.", "cluster");
        _breakerOverflow = factory.CreateCounter("meshedge_upstream_circuit_breaker_overflow_total",
            "Work refused by a cluster's circuit breaker: connections (max_connections), pending_requests, requests, retries.", "cluster", "breaker");
        _breakerOpen = factory.CreateGauge("meshedge_upstream_circuit_breaker_in_use",
            "What each circuit breaker counts now: open connections, pending requests, active requests, retries in progress.", "cluster", "breaker");
        _upstreamBytes = factory.CreateCounter("meshedge_upstream_bytes_total", "Bytes to and from upstream hosts.", "cluster", "direction");
        _hosts = new HostMetrics(factory);
        _ejections = factory.CreateCounter("meshedge_upstream_outlier_ejections_total", "Hosts ejected by outlier detection.", "cluster");
        _rpc = new RpcPrometheusMetrics(factory);
        _sni = new SniPrometheusMetrics(factory);
        _tls = new TlsPrometheusMetrics(factory);
        _http2 = new Http2PrometheusMetrics(factory);
        _upstreamTls = new TlsClientPrometheusMetrics(factory);
        _upstreamHttp2 = new Http2UpstreamPrometheusMetrics(factory);
        _secrets = new SecretPrometheusMetrics(factory);
        _workers = new WorkerMetrics(factory);
        _memory = new MemoryMetrics(factory);
        _xds = new XdsPrometheusMetrics(factory);
        _mode = new ModeMetrics(factory);
        _idleTrim = new IdleTrimMetrics(factory);
        _observedBuckets = [];
        _liveConfig = new LiveConfigMetrics(factory);
    }

    /// <summary>The active/standby switch, for the mode series (set by the host once the workers run).</summary>
    public Runtime.StandbyController? Standby { get; set; }

    /// <summary>runtime.idle_trim_after's trims, for their series (set by the host once the workers run; null when off).</summary>
    public Runtime.IdleTrim? IdleTrim { get; set; }

    /// <summary>The certificates loaded, for their expiry and reload metrics (set by the host at start).</summary>
    public Tls.TlsSecretRegistry? Secrets { get; set; }

    /// <summary>Copies the current totals in and returns the exposition text.</summary>
    public byte[] Export(IReadOnlyList<Worker> workers, MemoryBudget budget)
    {
        var snapshot = Snapshot;
        var totals = StatsTotals.Collect(snapshot, workers);
        lock (_lock)
        {
            Update(snapshot, totals);
            if (LiveConfig is { } live)
            {
                _liveConfig.Export(live);
            }

            _workers.Export(snapshot, workers);
            _memory.Export(workers, budget);
            _xds.Export(Xds.XdsStatus.Current);
            _mode.Export(workers, Standby);
            _idleTrim.Export(IdleTrim);
            using var stream = new MemoryStream();
            _registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
            return stream.ToArray();
        }
    }

    private void Update(WorkerSnapshot snapshot, StatsTotals totals)
    {
        foreach (var listener in snapshot.Listeners)
        {
            var stats = totals.Listeners[listener.Index];
            var name = listener.Name;
            _listenerConnections.WithLabels(name).IncTo(stats.ConnectionsTotal);
            _listenerActive.WithLabels(name).Set(stats.ConnectionsActive);
            _listenerBytes.WithLabels(name, "rx").IncTo(stats.BytesReceived);
            _listenerBytes.WithLabels(name, "tx").IncTo(stats.BytesSent);
            if (listener.Config.Protocol == ListenerProtocol.Auto)
            {
                _detectionFailures.WithLabels(name).IncTo(stats.DetectionFailures);
            }

            if (listener.Routes is null)
            {
                continue;
            }

            _requests.WithLabels(name).IncTo(stats.RequestsTotal);
            _activeRequests.WithLabels(name).Set(stats.RequestsActive);
            _localReplies.WithLabels(name).IncTo(stats.LocalReplies);
            _badRequests.WithLabels(name).IncTo(stats.BadRequests);
            for (var c = 1; c < StatusClasses.Length; c++)
            {
                _responses.WithLabels(name, StatusClasses[c]).IncTo(stats.ResponsesByClass[c]);
            }

            ObserveNewDurations(listener.Index, name, stats);
        }

        _rpc.Update(snapshot);
        _sni.Update(snapshot);
        _tls.Update(snapshot, totals);
        _http2.Update(snapshot, totals);
        _upstreamTls.Update(snapshot, totals);
        _upstreamHttp2.Update(snapshot, totals);
        _secrets.Update(Secrets);

        foreach (var cluster in snapshot.Clusters)
        {
            var stats = totals.Clusters[cluster.Index];
            var name = cluster.Name;
            _upstreamConnections.WithLabels(name).IncTo(stats.ConnectionsTotal);
            _upstreamActive.WithLabels(name).Set(stats.ConnectionsActive);
            _upstreamConnectFailures.WithLabels(name).IncTo(stats.ConnectFailures + stats.ConnectTimeouts);
            _upstreamRequests.WithLabels(name).IncTo(stats.RequestsTotal);
            _upstreamRetries.WithLabels(name).IncTo(stats.RequestRetries);
            _upstreamRetriesResetBeforeResponse.WithLabels(name).IncTo(stats.RetriesReusedConnectionLost);
            _upstreamOverflow.WithLabels(name).IncTo(stats.ConnectionsOverflow);
            _breakerOverflow.WithLabels(name, "connections").IncTo(stats.ConnectionsOverflow);
            _breakerOverflow.WithLabels(name, "pending_requests").IncTo(stats.PendingOverflow);
            _breakerOverflow.WithLabels(name, "requests").IncTo(stats.RequestsOverflow);
            _breakerOverflow.WithLabels(name, "retries").IncTo(stats.RetriesOverflow);
            _breakerOpen.WithLabels(name, "connections").Set(cluster.Connections.Open);
            _breakerOpen.WithLabels(name, "pending_requests").Set(cluster.Breakers.PendingRequests.Count);
            _breakerOpen.WithLabels(name, "requests").Set(cluster.Breakers.Requests.Count);
            _breakerOpen.WithLabels(name, "retries").Set(cluster.Breakers.Retries.Count);
            _upstreamBytes.WithLabels(name, "rx").IncTo(stats.BytesReceived);
            _upstreamBytes.WithLabels(name, "tx").IncTo(stats.BytesSent);
            for (var c = 1; c < StatusClasses.Length; c++)
            {
                _upstreamResponses.WithLabels(name, StatusClasses[c]).IncTo(stats.ResponsesByClass[c]);
            }

            _hosts.Export(cluster);

            _ejections.WithLabels(name).IncTo(cluster.Outliers?.EjectionsTotal ?? 0);
        }
    }

    private void ObserveNewDurations(int listener, string name, ListenerStats stats)
    {
        if (listener >= _observedBuckets.Length)
        {
            var grown = new long[listener + 1][];
            _observedBuckets.CopyTo(grown, 0);
            for (var i = _observedBuckets.Length; i < grown.Length; i++)
            {
                grown[i] = new long[ListenerStats.DurationBucketsMs.Length + 1];
            }

            _observedBuckets = grown;
        }

        var observed = _observedBuckets[listener];
        var bounds = ListenerStats.DurationBucketsMs;
        for (var b = 0; b < observed.Length; b++)
        {
            var delta = stats.DurationBuckets[b] - observed[b];
            if (delta <= 0)
            {
                continue;
            }

            var seconds = b < bounds.Length ? bounds[b] / 1000 : bounds[^1] / 500;
            _duration.WithLabels(name).Observe(seconds, delta);
            observed[b] = stats.DurationBuckets[b];
        }
    }
}
