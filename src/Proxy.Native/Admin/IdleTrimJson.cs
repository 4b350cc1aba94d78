using System.Globalization;
using System.Text.Json;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Admin;

/// <summary>
/// /stats "memory" "idle_trim": runtime.idle_trim_after (null when off), the trims done, and what the
/// last one gave back: the executable's resident pages, the pools' cached pages, and RSS just before it.
/// </summary>
internal static class IdleTrimJson
{
    public static void Write(Utf8JsonWriter json, IdleTrim? trim)
    {
        json.WriteStartObject("idle_trim");
        json.WriteBoolean("enabled", trim is not null);
        if (trim is null)
        {
            json.WriteNull("after_s");
        }
        else
        {
            json.WriteNumber("after_s", trim.QuietAfter.TotalSeconds);
        }

        json.WriteNumber("trims", trim?.Trims ?? 0);
        if (trim?.LastTrimAt is { } at)
        {
            json.WriteString("last_trim_at", at.ToString("O", CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull("last_trim_at");
        }

        json.WriteNumber("last_trim_ms", Math.Round(trim?.LastTrimMs ?? 0, 3));
        json.WriteNumber("released_code_bytes", trim?.LastReleasedCodeBytes ?? 0);
        json.WriteNumber("released_buffer_bytes", trim?.LastReleasedBufferBytes ?? 0);
        JsonDocumentWriter.WriteNumberOrNull(json, "rss_before_bytes", trim?.LastRssBefore);
        json.WriteEndObject();
    }
}
