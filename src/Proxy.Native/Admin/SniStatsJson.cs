using System.Text.Json;
using MeshEdge.Native.Proxy;

namespace MeshEdge.Native.Admin;

/// <summary>The "sni" object of a listener in /stats: connections per SNI route, then what became of the rest.</summary>
internal static class SniStatsJson
{
    public static void Write(Utf8JsonWriter json, SniRoutingSessionFactory source)
    {
        var stats = source.MergeStats();
        var routes = source.Routes.Routes;
        json.WriteStartObject("sni");
        json.WriteStartArray("routes");
        for (var i = 0; i < routes.Length; i++)
        {
            json.WriteStartObject();
            json.WriteStartArray("server_names");
            foreach (var name in routes[i].ServerNames)
            {
                json.WriteStringValue(name);
            }

            json.WriteEndArray();
            json.WriteString("cluster", routes[i].Cluster);
            json.WriteNumber("cx_total", stats.RouteHits[i]);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        foreach (var (name, value) in stats.Events())
        {
            json.WriteNumber(name, value);
        }

        json.WriteEndObject();
    }
}
