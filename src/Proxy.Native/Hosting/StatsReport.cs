using MeshEdge.Native.Rpc;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Stats;

namespace MeshEdge.Native.Hosting;

/// <summary>Merges every worker's counters and logs one line per listener and per cluster.</summary>
internal static class StatsReport
{
    public static void Write(WorkerSnapshot snapshot, IReadOnlyList<Worker> workers)
    {
        foreach (var listener in snapshot.Listeners)
        {
            var total = new ListenerStats();
            foreach (var worker in workers)
            {
                total.Add(worker.Stats.Listeners[listener.Index]);
            }

            Log.Info(
                "listener stats",
                ("listener", listener.Name),
                ("cx_total", total.ConnectionsTotal),
                ("cx_active", total.ConnectionsActive),
                ("cx_overflow", total.ConnectionsOverflow),
                ("detection_failures", total.DetectionFailures),
                ("bytes_rx", total.BytesReceived),
                ("bytes_tx", total.BytesSent));
            if (Proxy.SniStatsSources.Of(listener) is { } sni)
            {
                var stats = sni.MergeStats();
                Log.Info(
                    "sni listener stats",
                    [("listener", listener.Name), ("routed", stats.RouteHits.Sum()), .. stats.Events().Select(e => (e.Name, (object?)e.Value))]);
            }

            if (listener.Routes is not null)
            {
                Log.Info(
                    "http listener stats",
                    ("listener", listener.Name),
                    ("rq_total", total.RequestsTotal),
                    ("rq_local_reply", total.LocalReplies),
                    ("rq_bad", total.BadRequests),
                    ("rs_2xx", total.ResponsesByClass[2]),
                    ("rs_3xx", total.ResponsesByClass[3]),
                    ("rs_4xx", total.ResponsesByClass[4]),
                    ("rs_5xx", total.ResponsesByClass[5]));
                Log.Info(
                    "http2 listener stats",
                    [("listener", listener.Name), ("rq_http1_total", total.Http1Requests), ("rq_http2_total", total.Http2Requests),
                        ("cx_http2_total", total.Http2ConnectionsTotal), ("streams_refused_overload", total.Http2StreamsRefused),
                        .. Http.Http2.Http2CounterSums.Names.Select((name, i) => (name, (object?)Http.Http2.Http2CounterSums.Value(total.Http2, i)))]);
            }
        }

        foreach (var cluster in snapshot.Clusters)
        {
            var total = new ClusterStats();
            foreach (var worker in workers)
            {
                if (worker.Stats.Clusters.Find(cluster.Index) is { } stats)
                {
                    total.Add(stats);
                }
            }

            Log.Info(
                "cluster stats",
                ("cluster", cluster.Name),
                ("upstream_cx_total", total.ConnectionsTotal),
                ("upstream_cx_active", total.ConnectionsActive),
                ("upstream_cx_connect_fail", total.ConnectFailures),
                ("upstream_cx_connect_timeout", total.ConnectTimeouts),
                ("upstream_cx_overflow", total.ConnectionsOverflow),
                ("upstream_rq_pending_overflow", total.PendingOverflow),
                ("upstream_rq_overflow", total.RequestsOverflow),
                ("upstream_rq_retry_overflow", total.RetriesOverflow),
                ("upstream_bytes_tx", total.BytesSent),
                ("upstream_bytes_rx", total.BytesReceived),
                ("upstream_rq_total", total.RequestsTotal),
                ("upstream_rq_retry", total.RequestRetries),
                ("upstream_rq_retry_reset_before_response", total.RetriesReusedConnectionLost),
                ("upstream_cx_pool_reused", total.PoolReused),
                ("upstream_rs_5xx", total.ResponsesByClass[5]));
            if (cluster.Config.Protocol == Config.Model.UpstreamProtocol.Http2)
            {
                Log.Info("cluster http2 stats", [("cluster", cluster.Name), .. Http.Upstream2.Http2UpstreamStatsNames.Of(total.Http2).Select(s => (s.Name, (object)s.Value))]);
            }
        }

        RpcStatsReport.Write(snapshot);
    }
}
