using System.Text.Json;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Admin;

/// <summary>
/// /stats "per_worker": a few counters left unmerged, one object per worker, to show how the
/// kernel spread connections over the workers' sockets and whether a worker polled or slept.
/// </summary>
internal static class PerWorkerStatsJson
{
    public static void Write(Utf8JsonWriter json, WorkerSnapshot snapshot, IReadOnlyList<Worker> workers)
    {
        json.WriteStartArray("per_worker");
        foreach (var worker in workers)
        {
            var stats = worker.Stats;
            json.WriteStartObject();
            json.WriteNumber("worker", worker.Id);
            json.WriteNumber("connections", worker.ConnectionCount);
            json.WriteNumber("buffers_in_use_bytes", worker.Pool.InUseBytes);
            json.WriteNumber("buffers_cached_bytes", worker.Pool.CachedBytes);
            json.WriteNumber("epoll_waits", stats.EpollWaits);
            json.WriteNumber("busy_poll_waits", stats.BusyPollWaits);
            json.WriteStartObject("listeners");
            foreach (var listener in snapshot.Listeners)
            {
                var listenerStats = stats.Listeners[listener.Index];
                json.WriteStartObject(listener.Name);
                json.WriteNumber("cx_total", listenerStats.ConnectionsTotal);
                json.WriteNumber("cx_active", listenerStats.ConnectionsActive);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
