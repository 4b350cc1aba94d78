using System.Text.Json;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Stats;

namespace MeshEdge.Native.Admin;

/// <summary>/stats: every counter, merged over the workers, by listener and by cluster; then a few per worker.</summary>
internal static class StatsJson
{
    public static byte[] Write(AdminState state)
    {
        var totals = StatsTotals.Collect(state.Snapshot, state.Workers);
        return JsonDocumentWriter.Write(json =>
        {
            json.WriteStartObject();
            json.WriteNumber("uptime_s", Math.Round((DateTimeOffset.UtcNow - state.StartedAt).TotalSeconds, 1));
            json.WriteNumber("workers", state.Workers.Length);
            json.WriteNumber("connections", totals.Connections);

            // Retired clusters (removed, or replaced by a change of settings) still held by a worker
            // because something of them is in use there; summed over workers, back to 0 once drained.
            json.WriteNumber("clusters_retired_held", state.Workers.Sum(w => w.RetiredClustersHeld));

            // runtime.priority and what is in effect: the nice of this (worker) thread and the process's OOM score.
            json.WriteString("priority", ProcessPriority.Name(state.Config.Runtime.Priority));
            JsonDocumentWriter.WriteNumberOrNull(json, "nice", ProcessPriority.ReadNice());
            JsonDocumentWriter.WriteNumberOrNull(json, "oom_score_adj", ProcessPriority.ReadOomScoreAdj());

            // Managed allocation since start, for benchmarks (allocation per proxied request).
            json.WriteNumber("gc_allocated_bytes", GC.GetTotalAllocatedBytes(precise: true));
            json.WriteNumber("gc_collections_gen0", GC.CollectionCount(0));
            MemoryJson.Write(json, state.Budget, MemoryUsage.Collect(state.Workers), OverloadTotals.Collect(state.Workers), OverloadStageTotals.Collect(state.Workers), state.IdleTrim);
            ModeJson.Write(json, state);
            json.WriteStartObject("listeners");
            foreach (var listener in state.Snapshot.Listeners)
            {
                json.WriteStartObject(listener.Name);
                WriteListener(json, totals.Listeners[listener.Index]);
                if (listener.Tls is not null)
                {
                    TlsStatsJson.Write(json, totals.Listeners[listener.Index].Tls);
                }
                if (Rpc.RpcStatsSources.Of(listener) is { } source)
                {
                    RpcStatsJson.Write(json, source);
                }

                if (Proxy.SniStatsSources.Of(listener) is { } sni)
                {
                    SniStatsJson.Write(json, sni);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteStartObject("clusters");
            foreach (var cluster in state.Snapshot.Clusters)
            {
                json.WriteStartObject(cluster.Name);
                WriteCluster(json, totals.Clusters[cluster.Index]);
                if (cluster.Tls is not null)
                {
                    TlsClientStatsJson.Write(json, totals.Clusters[cluster.Index].Tls);
                }

                if (cluster.Config.Protocol == Config.Model.UpstreamProtocol.Http2)
                {
                    Http2UpstreamStatsJson.Write(json, totals.Clusters[cluster.Index].Http2);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            PerWorkerStatsJson.Write(json, state.Snapshot, state.Workers);
            json.WriteEndObject();
        });
    }

    private static void WriteListener(Utf8JsonWriter json, ListenerStats stats)
    {
        json.WriteNumber("cx_total", stats.ConnectionsTotal);
        json.WriteNumber("cx_active", stats.ConnectionsActive);
        json.WriteNumber("cx_overflow", stats.ConnectionsOverflow);
        json.WriteNumber("detection_failures", stats.DetectionFailures);
        json.WriteNumber("bytes_rx", stats.BytesReceived);
        json.WriteNumber("bytes_tx", stats.BytesSent);
        json.WriteNumber("rq_total", stats.RequestsTotal);
        json.WriteNumber("rq_active", stats.RequestsActive);
        json.WriteNumber("rq_local_reply", stats.LocalReplies);
        json.WriteNumber("rq_bad", stats.BadRequests);
        for (var c = 1; c <= 5; c++)
        {
            json.WriteNumber($"rs_{c}xx", stats.ResponsesByClass[c]);
        }

        Http.Http2.Http2StatsJson.Write(json, stats);
    }

    private static void WriteCluster(Utf8JsonWriter json, ClusterStats stats)
    {
        json.WriteNumber("upstream_cx_total", stats.ConnectionsTotal);
        json.WriteNumber("upstream_cx_active", stats.ConnectionsActive);
        json.WriteNumber("upstream_cx_connect_fail", stats.ConnectFailures);
        json.WriteNumber("upstream_cx_connect_timeout", stats.ConnectTimeouts);
        json.WriteNumber("upstream_cx_overflow", stats.ConnectionsOverflow);
        json.WriteNumber("upstream_rq_pending_overflow", stats.PendingOverflow);
        json.WriteNumber("upstream_rq_overflow", stats.RequestsOverflow);
        json.WriteNumber("upstream_rq_retry_overflow", stats.RetriesOverflow);
        json.WriteNumber("upstream_cx_pool_reused", stats.PoolReused);
        json.WriteNumber("upstream_bytes_tx", stats.BytesSent);
        json.WriteNumber("upstream_bytes_rx", stats.BytesReceived);
        json.WriteNumber("upstream_rq_total", stats.RequestsTotal);
        json.WriteNumber("upstream_rq_retry", stats.RequestRetries);
        json.WriteNumber("upstream_rq_retry_reset_before_response", stats.RetriesReusedConnectionLost);
        for (var c = 1; c <= 5; c++)
        {
            json.WriteNumber($"upstream_rs_{c}xx", stats.ResponsesByClass[c]);
        }
    }
}
