using MeshEdge.Native.Hosting;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Rpc;

/// <summary>Logs the RPC counters, merged over workers: one line per RPC listener and per cluster RPC listeners used.</summary>
internal static class RpcStatsReport
{
    public static void Write(WorkerSnapshot snapshot)
    {
        var sources = snapshot.Listeners
            .Where(listener => RpcStatsSources.Of(listener) is not null)
            .Select(listener => (listener.Name, Source: RpcStatsSources.Of(listener)!))
            .ToArray();
        foreach (var (name, source) in sources)
        {
            var s = source.MergeListenerStats();
            Log.Info(
                "rpc listener stats",
                ("listener", name),
                ("protocol", source.Protocol),
                ("rq_total", s.Requests),
                ("rq_oneway", s.Oneway),
                ("rs_success", s.ResponsesSuccess),
                ("rs_error", s.ResponsesError),
                ("rq_timeout", s.Timeouts),
                ("rq_no_route", s.NoRoute),
                ("rq_upstream_lost", s.UpstreamLost),
                ("rq_connect_fail", s.ConnectFailed),
                ("rq_overflow", s.Overflow),
                ("rq_active", s.Active),
                ("malformed_frames", s.MalformedFrames),
                ("heartbeats_answered", s.HeartbeatsAnswered),
                ("cx_migrated_out", s.ConnectionsMigratedOut),
                ("cx_adopted", s.ConnectionsAdopted),
                ("cx_migration_fallback", s.MigrationFallbacks));
        }

        foreach (var cluster in snapshot.Clusters)
        {
            var total = new RpcClusterStats();
            var used = false;
            foreach (var (_, source) in sources)
            {
                used |= source.AddClusterStats(cluster.Index, total);
            }

            if (!used || total.Requests == 0)
            {
                continue;
            }

            Log.Info(
                "rpc cluster stats",
                ("cluster", cluster.Name),
                ("upstream_rq_total", total.Requests),
                ("upstream_rs_success", total.ResponsesSuccess),
                ("upstream_rs_error", total.ResponsesError),
                ("upstream_rq_timeout", total.Timeouts),
                ("upstream_rq_lost", total.RequestsLost),
                ("upstream_rq_retry", total.Retries),
                ("upstream_cx_destroy_with_active_rq", total.ConnectionsDestroyedWithActive),
                ("upstream_unknown_response", total.UnknownResponses),
                ("upstream_malformed_frames", total.MalformedFrames),
                ("upstream_heartbeat_tx", total.HeartbeatsSent),
                ("upstream_heartbeat_ack", total.HeartbeatAcks),
                ("upstream_cx_unpaired_close", total.UnpairedClosed));
        }
    }
}
