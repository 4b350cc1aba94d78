using System.Text;

namespace MeshEdge.Config.AccessLog;

/// <summary>
/// An access-log format compiled once: literal runs and fields in order. The operators are Envoy's
/// (%START_TIME%, %REQ(:METHOD)%, %REQ(:PATH)%, %REQ(:AUTHORITY)%, %REQ(name)%, %PROTOCOL%,
/// %RESPONSE_CODE%, %RESPONSE_FLAGS%, %BYTES_RECEIVED%, %BYTES_SENT%, %DURATION%, %UPSTREAM_HOST%,
/// %DOWNSTREAM_REMOTE_ADDRESS%), so formats carry over from Envoy and MOSN configs.
/// </summary>
internal sealed class AccessLogFormat
{
    private AccessLogFormat(Segment[] segments) => Segments = segments;

    public Segment[] Segments { get; }

    /// <summary>A literal (Field = Literal, Bytes = the text) or a field (Bytes = the header name for %REQ(name)%).</summary>
    public readonly record struct Segment(AccessLogField Field, byte[] Bytes);

    /// <summary>Compiles <paramref name="format"/>; an unknown operator is an error that names it.</summary>
    public static AccessLogFormat Parse(string format, out string? error)
    {
        error = null;
        var segments = new List<Segment>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < format.Length)
        {
            var end = format[i] == '%' ? format.IndexOf('%', i + 1) : -1;
            if (end < 0)
            {
                literal.Append(format[i++]);
                continue;
            }

            var name = format[(i + 1)..end];
            if (!TryField(name, out var field, out var argument))
            {
                error ??= $"unknown access log operator %{name}%";
                literal.Append(format, i, end - i + 1);
                i = end + 1;
                continue;
            }

            Flush(literal, segments);
            segments.Add(new Segment(field, Encoding.ASCII.GetBytes(argument)));
            i = end + 1;
        }

        Flush(literal, segments);
        return new AccessLogFormat([.. segments]);
    }

    private static void Flush(StringBuilder literal, List<Segment> segments)
    {
        if (literal.Length > 0)
        {
            segments.Add(new Segment(AccessLogField.Literal, Encoding.UTF8.GetBytes(literal.ToString())));
            literal.Clear();
        }
    }

    private static bool TryField(string name, out AccessLogField field, out string argument)
    {
        argument = "";
        if (name.StartsWith("REQ(", StringComparison.Ordinal) && name.EndsWith(')'))
        {
            var header = name[4..^1].ToLowerInvariant();
            field = header switch
            {
                ":method" => AccessLogField.Method,
                ":path" => AccessLogField.Path,
                ":authority" => AccessLogField.Authority,
                _ => AccessLogField.RequestHeader,
            };
            argument = field == AccessLogField.RequestHeader ? header : "";
            return header.Length > 0;
        }

        field = name switch
        {
            "START_TIME" => AccessLogField.StartTime,
            "PROTOCOL" => AccessLogField.Protocol,
            "RESPONSE_CODE" => AccessLogField.ResponseCode,
            "RESPONSE_FLAGS" => AccessLogField.ResponseFlags,
            "BYTES_RECEIVED" => AccessLogField.BytesReceived,
            "BYTES_SENT" => AccessLogField.BytesSent,
            "DURATION" => AccessLogField.Duration,
            "UPSTREAM_HOST" => AccessLogField.UpstreamHost,
            "DOWNSTREAM_REMOTE_ADDRESS" => AccessLogField.DownstreamRemoteAddress,
            _ => AccessLogField.Literal,
        };
        return field != AccessLogField.Literal;
    }
}
