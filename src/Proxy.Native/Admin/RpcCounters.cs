using MeshEdge.Native.Rpc;

namespace MeshEdge.Native.Admin;

/// <summary>An RPC listener's counters as (name, value) pairs, the one list /metrics and /stats both show.</summary>
internal static class RpcCounters
{
    public static (string Name, long Value)[] Of(RpcListenerStats s) =>
    [
        ("requests", s.Requests),
        ("oneway", s.Oneway),
        ("success", s.ResponsesSuccess),
        ("error", s.ResponsesError),
        ("timeout", s.Timeouts),
        ("no_route", s.NoRoute),
        ("upstream_lost", s.UpstreamLost),
        ("connect_fail", s.ConnectFailed),
        ("overflow", s.Overflow),
        ("malformed_frame", s.MalformedFrames),
        ("heartbeat_answered", s.HeartbeatsAnswered),
        ("migrated_out", s.ConnectionsMigratedOut),
        ("adopted", s.ConnectionsAdopted),
        ("migration_fallback", s.MigrationFallbacks),
    ];
}
