using System.Text.Json;
using MeshEdge.Native.Tls;

namespace MeshEdge.Native.Admin;

/// <summary>A TLS cluster's "tls" object in /stats: handshakes, how many resumed a session, failures and failures by reason.</summary>
internal static class TlsClientStatsJson
{
    public static void Write(Utf8JsonWriter json, TlsClientStats stats)
    {
        json.WriteStartObject("tls");
        json.WriteNumber("handshakes", stats.Handshakes);
        json.WriteNumber("handshakes_resumed", stats.Resumed);
        json.WriteNumber("handshake_failures", stats.FailuresTotal);
        json.WriteStartObject("handshake_failures_by_reason");
        for (var i = 0; i < TlsClientStats.ReasonNames.Length; i++)
        {
            json.WriteNumber(TlsClientStats.ReasonNames[i], stats.Failures[i]);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
