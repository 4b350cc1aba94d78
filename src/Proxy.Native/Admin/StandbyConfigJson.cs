using System.Text.Json;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Admin;

/// <summary>/config_dump's part for issue 20's keys: runtime.mode, [runtime.overload] and [standby].</summary>
internal static class StandbyConfigJson
{
    public static void WriteRuntimeKeys(Utf8JsonWriter json, RuntimeConfig runtime)
    {
        json.WriteString("mode", Runtime.StandbyController.Name(runtime.Mode));
        json.WriteStartObject("overload");
        json.WriteNumber("stop_reading", runtime.Overload.StopReading);
        json.WriteNumber("disable_keepalive", runtime.Overload.DisableKeepAlive);
        json.WriteNumber("stop_accepting", runtime.Overload.StopAccepting);
        json.WriteNumber("reject_requests", runtime.Overload.RejectRequests);
        json.WriteEndObject();
    }

    public static void WriteStandby(Utf8JsonWriter json, StandbyConfig? standby)
    {
        if (standby is null)
        {
            return;
        }

        json.WriteStartObject("standby");
        json.WriteStartArray("local_cluster");
        foreach (var name in standby.LocalClusters)
        {
            json.WriteStringValue(name);
        }

        json.WriteEndArray();
        json.WriteStartArray("peers_cluster");
        foreach (var name in standby.PeersClusters)
        {
            json.WriteStringValue(name);
        }

        json.WriteEndArray();
        json.WriteNumber("local_share", standby.LocalShare);
        json.WriteEndObject();
    }
}
