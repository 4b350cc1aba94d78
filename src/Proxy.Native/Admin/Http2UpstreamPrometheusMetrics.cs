using MeshEdge.Config.Model;
using MeshEdge.Native.Runtime;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>The HTTP/2 upstream part of /metrics: per cluster with protocol = "h2", connections, streams, GOAWAYs and resets.</summary>
internal sealed class Http2UpstreamPrometheusMetrics(MetricFactory factory)
{
    private readonly Counter _connections = factory.CreateCounter("meshedge_upstream_http2_connections_total", "HTTP/2 connections opened to upstream hosts.", "cluster");
    private readonly Gauge _connectionsActive = factory.CreateGauge("meshedge_upstream_http2_connections_active", "HTTP/2 connections to upstream hosts now open.", "cluster");
    private readonly Counter _streams = factory.CreateCounter("meshedge_upstream_http2_streams_total", "Streams opened on upstream HTTP/2 connections.", "cluster");
    private readonly Gauge _streamsActive = factory.CreateGauge("meshedge_upstream_http2_streams_active", "Streams now open on upstream HTTP/2 connections.", "cluster");
    private readonly Counter _goAways = factory.CreateCounter("meshedge_upstream_http2_goaway_received_total", "GOAWAY frames upstream hosts sent.", "cluster");

    private readonly Counter _resets = factory.CreateCounter("meshedge_upstream_http2_resets_total",
        "RST_STREAM frames on upstream HTTP/2 connections, by direction (received, sent).", "cluster", "direction");

    private readonly Counter _unprocessed = factory.CreateCounter("meshedge_upstream_http2_streams_unprocessed_total",
        "Streams an upstream did not process (REFUSED_STREAM, or above a GOAWAY's last stream id): safe to retry.", "cluster");

    private readonly Counter _keepaliveTimeouts = factory.CreateCounter("meshedge_upstream_http2_keepalive_timeouts_total",
        "Upstream HTTP/2 connections closed because a keepalive PING went unanswered.", "cluster");

    public void Update(WorkerSnapshot snapshot, StatsTotals totals)
    {
        foreach (var cluster in snapshot.Clusters)
        {
            if (cluster.Config.Protocol != UpstreamProtocol.Http2)
            {
                continue;
            }

            var stats = totals.Clusters[cluster.Index].Http2;
            _connections.WithLabels(cluster.Name).IncTo(stats.ConnectionsTotal);
            _connectionsActive.WithLabels(cluster.Name).Set(stats.ConnectionsActive);
            _streams.WithLabels(cluster.Name).IncTo(stats.StreamsTotal);
            _streamsActive.WithLabels(cluster.Name).Set(stats.StreamsActive);
            _goAways.WithLabels(cluster.Name).IncTo(stats.GoAwaysReceived);
            _resets.WithLabels(cluster.Name, "received").IncTo(stats.ResetsReceived);
            _resets.WithLabels(cluster.Name, "sent").IncTo(stats.ResetsSent);
            _unprocessed.WithLabels(cluster.Name).IncTo(stats.StreamsUnprocessed);
            _keepaliveTimeouts.WithLabels(cluster.Name).IncTo(stats.KeepaliveTimeouts);
        }
    }
}
