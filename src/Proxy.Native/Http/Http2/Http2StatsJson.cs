using System.Text.Json;
using MeshEdge.Native.Stats;

namespace MeshEdge.Native.Http.Http2;

/// <summary>A listener's HTTP/2 numbers in /stats: requests by protocol, h2 connections, and the frame layers' counters under "http2".</summary>
internal static class Http2StatsJson
{
    public static void Write(Utf8JsonWriter json, ListenerStats stats)
    {
        json.WriteNumber("rq_http1_total", stats.Http1Requests);
        json.WriteNumber("rq_http2_total", stats.Http2Requests);
        json.WriteStartObject("http2");
        json.WriteNumber("cx_total", stats.Http2ConnectionsTotal);
        json.WriteNumber("cx_active", stats.Http2ConnectionsActive);
        json.WriteNumber("streams_refused_overload", stats.Http2StreamsRefused);
        for (var i = 0; i < Http2CounterSums.Names.Length; i++)
        {
            json.WriteNumber(Http2CounterSums.Names[i], Http2CounterSums.Value(stats.Http2, i));
        }

        json.WriteEndObject();
    }
}
