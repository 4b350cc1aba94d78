using System.Text.Json;
using MeshEdge.Native.Tls;

namespace MeshEdge.Native.Admin;

/// <summary>A TLS listener's "tls" object in /stats: handshakes, failures and failures by reason.</summary>
internal static class TlsStatsJson
{
    public static void Write(Utf8JsonWriter json, TlsStats stats)
    {
        json.WriteStartObject("tls");
        json.WriteNumber("handshakes", stats.Handshakes);
        json.WriteNumber("handshake_failures", stats.FailuresTotal);
        json.WriteStartObject("handshake_failures_by_reason");
        for (var i = 0; i < TlsStats.ReasonNames.Length; i++)
        {
            json.WriteNumber(TlsStats.ReasonNames[i], stats.Failures[i]);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
