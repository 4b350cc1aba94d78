using System.Text.Json;
using MeshEdge.Native.Http.Upstream2;

namespace MeshEdge.Native.Admin;

/// <summary>An h2 cluster's "http2" object in /stats: connections, streams, GOAWAYs and resets.</summary>
internal static class Http2UpstreamStatsJson
{
    public static void Write(Utf8JsonWriter json, Http2UpstreamStats stats)
    {
        json.WriteStartObject("http2");
        foreach (var (name, value) in Http2UpstreamStatsNames.Of(stats))
        {
            json.WriteNumber(name, value);
        }

        json.WriteEndObject();
    }
}
