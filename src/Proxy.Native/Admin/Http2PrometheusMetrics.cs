using MeshEdge.Native.Http.Http2;
using MeshEdge.Native.Runtime;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>The HTTP/2 part of /metrics, per HTTP listener: requests by protocol, h2 connections, and the connection layer's counters (resets, GOAWAYs, each defence's trips).</summary>
internal sealed class Http2PrometheusMetrics(MetricFactory factory)
{
    private readonly Counter _requests = factory.CreateCounter("meshedge_http_requests_by_protocol_total", "HTTP requests by the version the client spoke.", "listener", "protocol");

    private readonly Counter _connections = factory.CreateCounter("meshedge_http2_connections_total", "Downstream HTTP/2 connections (h2c prior knowledge or ALPN h2).", "listener");

    private readonly Gauge _active = factory.CreateGauge("meshedge_http2_connections_active", "Downstream HTTP/2 connections open now.", "listener");

    private readonly Counter _refused = factory.CreateCounter("meshedge_http2_streams_refused_overload_total", "Streams refused with REFUSED_STREAM by the overload reject stage.", "listener");

    private readonly Counter _events = factory.CreateCounter("meshedge_http2_events_total",
        "What the downstream HTTP/2 connections' frame layers saw: streams, resets, GOAWAYs and each defence's trips (event = the /stats name).", "listener", "event");

    public void Update(WorkerSnapshot snapshot, StatsTotals totals)
    {
        foreach (var listener in snapshot.Listeners)
        {
            if (listener.Routes is null)
            {
                continue;
            }

            var stats = totals.Listeners[listener.Index];
            _requests.WithLabels(listener.Name, "http1").IncTo(stats.Http1Requests);
            _requests.WithLabels(listener.Name, "http2").IncTo(stats.Http2Requests);
            _connections.WithLabels(listener.Name).IncTo(stats.Http2ConnectionsTotal);
            _active.WithLabels(listener.Name).Set(stats.Http2ConnectionsActive);
            _refused.WithLabels(listener.Name).IncTo(stats.Http2StreamsRefused);
            for (var i = 0; i < Http2CounterSums.Names.Length; i++)
            {
                _events.WithLabels(listener.Name, Http2CounterSums.Names[i]).IncTo(Http2CounterSums.Value(stats.Http2, i));
            }
        }
    }
}
