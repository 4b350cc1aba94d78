using System.Text.Json;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Admin;

/// <summary>
/// /stats "memory": the budget and where it came from, then what is held by category: the pooled
/// buffer blocks (in use by connections, cached in the pools), the connections open, the managed
/// heap (its size after the last collection, what the GC has committed, and the live estimate), the
/// resident set, the GC's settings in effect, the idle trim (<see cref="IdleTrimJson"/>), and the overload actions: the reject stage
/// (<see cref="BufferOverload"/>: active now, trips, requests and calls refused) and every stage by name.
/// </summary>
internal static class MemoryJson
{
    public static void Write(Utf8JsonWriter json, MemoryBudget budget, MemoryUsage usage, OverloadTotals overload, OverloadStageTotals[] stages, IdleTrim? idleTrim = null)
    {
        json.WriteStartObject("memory");
        JsonDocumentWriter.WriteNumberOrNull(json, "budget_bytes", budget.Bytes);
        json.WriteString("budget_source", budget.Source);
        JsonDocumentWriter.WriteNumberOrNull(json, "rss_bytes", usage.RssBytes);
        json.WriteNumber("buffers_in_use_bytes", usage.BuffersInUseBytes);
        json.WriteNumber("buffers_cached_bytes", usage.BuffersCachedBytes);
        json.WriteNumber("buffers_released_bytes", usage.BuffersReleasedBytes);
        json.WriteNumber("buffers_peak_bytes", usage.BuffersPeakBytes);
        json.WriteNumber("connections", usage.Connections);
        json.WriteNumber("managed_heap_bytes", usage.ManagedHeapBytes);
        json.WriteNumber("managed_committed_bytes", usage.ManagedCommittedBytes);
        json.WriteNumber("managed_live_bytes", usage.ManagedLiveBytes);
        WriteGcConfiguration(json);
        IdleTrimJson.Write(json, idleTrim);
        json.WriteStartObject("overload");
        json.WriteBoolean("active", overload.Active);
        json.WriteNumber("trips", overload.Trips);
        json.WriteNumber("rejected_http", overload.RejectedHttp);
        json.WriteNumber("rejected_rpc", overload.RejectedRpc);
        WriteStages(json, stages);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Each staged action by its config key: in effect now, entered how often, acted on how many, and its threshold per worker.</summary>
    private static void WriteStages(Utf8JsonWriter json, OverloadStageTotals[] stages)
    {
        json.WriteStartObject("stages");
        foreach (var stage in stages)
        {
            json.WriteStartObject(stage.Name);
            json.WriteBoolean("active", stage.Active);
            json.WriteNumber("trips", stage.Trips);
            json.WriteNumber("actions", stage.Actions);
            JsonDocumentWriter.WriteNumberOrNull(json, "threshold_bytes", stage.ThresholdBytes);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// The GC's settings in effect, by the runtime's own names (ServerGC, ConcurrentGC, GCHeapHardLimit,
    /// GCConserveMem...): a DOTNET_* variable the runtime ignores shows here as unchanged.
    /// </summary>
    private static void WriteGcConfiguration(Utf8JsonWriter json)
    {
        json.WriteStartObject("gc_configuration");
        foreach (var (name, value) in GC.GetConfigurationVariables().OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            switch (value)
            {
                case bool flag:
                    json.WriteBoolean(name, flag);
                    break;
                case long or ulong or int or uint:
                    json.WriteNumber(name, Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    json.WriteString(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }

        json.WriteEndObject();
    }
}
