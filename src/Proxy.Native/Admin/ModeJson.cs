using System.Text.Json;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Admin;

/// <summary>
/// /stats "mode" (and GET /mode): active or standby, when the last switch was and how long it took, what
/// standby does with the local application's traffic (its share, and the requests sent to the peers
/// and kept), which workers are parked, and the memory held by category.
/// </summary>
internal static class ModeJson
{
    public static void Write(Utf8JsonWriter json, AdminState state)
    {
        json.WriteStartObject("mode");
        WriteFields(json, state);
        json.WriteEndObject();
    }

    public static byte[] Document(AdminState state) => JsonDocumentWriter.Write(json =>
    {
        json.WriteStartObject();
        WriteFields(json, state);
        json.WriteEndObject();
    });

    private static void WriteFields(Utf8JsonWriter json, AdminState state)
    {
        var controller = state.Standby;
        json.WriteString("mode", StandbyController.Name(controller?.Mode ?? Config.Model.RuntimeMode.Active));
        if (controller?.SwitchedAt is { } at)
        {
            json.WriteString("switched_at", at.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull("switched_at");
        }

        json.WriteNumber("switch_ms", Math.Round(controller?.LastSwitchMs ?? 0, 3));
        json.WriteNumber("switches", controller?.Switches ?? 0);
        json.WriteNumber("released_buffer_bytes", controller?.LastReleasedBytes ?? 0);
        json.WriteBoolean("accept_steering", controller?.SteeringWorks ?? true);
        if (state.Config.Standby is { } standby)
        {
            json.WriteStartArray("local_clusters");
            standby.LocalClusters.ToList().ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteStartArray("peers_clusters");
            standby.PeersClusters.ToList().ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteNumber("local_share", standby.LocalShare);
        }

        long toPeers = 0, keptLocal = 0;
        json.WriteStartArray("parked_workers");
        foreach (var worker in state.Workers)
        {
            toPeers += worker.StandbyToPeers;
            keptLocal += worker.StandbyKeptLocal;
            if (worker.IsParked)
            {
                json.WriteNumberValue(worker.Id);
            }
        }

        json.WriteEndArray();
        json.WriteNumber("requests_to_peers", toPeers);
        json.WriteNumber("requests_kept_local", keptLocal);

        var usage = MemoryUsage.Collect(state.Workers);
        json.WriteStartObject("memory_held");
        JsonDocumentWriter.WriteNumberOrNull(json, "rss_bytes", usage.RssBytes);
        json.WriteNumber("buffers_bytes", usage.BuffersInUseBytes + usage.BuffersCachedBytes);
        json.WriteNumber("buffers_released_bytes", usage.BuffersReleasedBytes);
        json.WriteNumber("connections", usage.Connections);
        json.WriteNumber("managed_heap_bytes", usage.ManagedHeapBytes);
        json.WriteNumber("managed_committed_bytes", usage.ManagedCommittedBytes);
        json.WriteEndObject();
    }
}
