using System.Text.Json;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Admin;

/// <summary>
/// /config_dump's "live" object: per resource type (listeners, clusters, routes) the version in
/// effect, its source (file, reload, admin, watch, xds), when it took effect and the last refused
/// config's error; plus the totals of accepted and refused changes.
/// </summary>
internal static class LiveConfigJson
{
    public static void Write(Utf8JsonWriter json, LiveConfigStatus live)
    {
        json.WriteStartObject("live");
        json.WriteNumber("accepted", live.AcceptedTotal);
        json.WriteNumber("rejected", live.RejectedTotal);
        foreach (var type in LiveConfigStatus.Types)
        {
            json.WriteStartObject(type);
            if (live.State(type) is { } state)
            {
                json.WriteString("version", state.Version);
                json.WriteString("source", state.Source);
                json.WriteString("last_updated", state.UpdatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                if (state.LastRejection is { } rejected)
                {
                    json.WriteStartObject("last_rejection");
                    json.WriteString("version", rejected.Version);
                    json.WriteString("source", rejected.Source);
                    json.WriteString("at", rejected.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                    json.WriteString("error", rejected.Error);
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteNull("last_rejection");
                }
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
