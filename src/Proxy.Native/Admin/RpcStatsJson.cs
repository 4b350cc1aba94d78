using System.Globalization;
using System.Text.Json;
using MeshEdge.Native.Rpc;

namespace MeshEdge.Native.Admin;

/// <summary>
/// The "rpc" object of a listener in /stats: its counters, and "methods", one entry per (service,
/// method) with requests, responses by status and durations per bucket (counts per bucket, not
/// cumulative, keyed by the bucket's upper bound in milliseconds; "inf" for the rest).
/// </summary>
internal static class RpcStatsJson
{
    public static void Write(Utf8JsonWriter json, IRpcStatsSource source)
    {
        json.WriteStartObject("rpc");
        json.WriteString("protocol", source.Protocol);
        foreach (var (name, value) in RpcCounters.Of(source.MergeListenerStats()))
        {
            json.WriteNumber(name, value);
        }

        json.WriteStartArray("methods");
        foreach (var method in source.MergeMethodStats())
        {
            json.WriteStartObject();
            json.WriteString("service", method.Service);
            json.WriteString("method", method.Method);
            json.WriteNumber("requests", method.Requests);
            json.WriteStartObject("responses");
            for (var slot = 0; slot < method.Statuses.Length; slot++)
            {
                if (method.Statuses[slot] > 0)
                {
                    json.WriteNumber(RpcMethodStats.StatusLabel(slot), method.Statuses[slot]);
                }
            }

            json.WriteEndObject();
            json.WriteNumber("duration_us_sum", method.DurationMicrosSum);
            json.WriteStartObject("duration_ms");
            var bounds = RpcMethodStats.DurationBucketsMs;
            for (var b = 0; b < method.DurationBuckets.Length; b++)
            {
                json.WriteNumber(b < bounds.Length ? bounds[b].ToString(CultureInfo.InvariantCulture) : "inf", method.DurationBuckets[b]);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
