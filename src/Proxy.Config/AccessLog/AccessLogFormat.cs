using System.Text;

namespace MeshEdge.Config.AccessLog;

/// <summary>
/// An access-log format compiled once: literal runs and fields in order. The operators are Envoy's
/// (%START_TIME%, %REQ(:METHOD)%, %REQ(:PATH)%, %REQ(:AUTHORITY)%, %REQ(name)%, %PROTOCOL%,
/// %RESPONSE_CODE%, %RESPONSE_FLAGS%, %BYTES_RECEIVED%, %BYTES_SENT%, %DURATION%, %UPSTREAM_HOST%,
/// %DOWNSTREAM_REMOTE_ADDRESS%), so formats carry over from Envoy and MOSN configs. RPC logs add
/// %RPC_SERVICE%, %RPC_METHOD% and %RPC_STATUS%, read %REQ(name)% from the RPC headers, and have
/// no HTTP pseudo-headers or %RESPONSE_CODE%.
/// </summary>
internal sealed class AccessLogFormat
{
    private AccessLogFormat(Segment[] segments) => Segments = segments;

    public Segment[] Segments { get; }

    /// <summary>A literal (Field = Literal, Bytes = the text) or a field (Bytes = the header name for %REQ(name)%).</summary>
    public readonly record struct Segment(AccessLogField Field, byte[] Bytes);

    /// <summary>Compiles an HTTP format; see <see cref="Parse(string, AccessLogDialect, out string?)"/>.</summary>
    public static AccessLogFormat Parse(string format, out string? error) => Parse(format, AccessLogDialect.Http, out error);

    /// <summary>Compiles <paramref name="format"/>; an unknown operator, or one the dialect lacks, is an error that names it.</summary>
    public static AccessLogFormat Parse(string format, AccessLogDialect dialect, out string? error)
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
            if (!TryField(name, out var field, out var argument) || !Allows(dialect, field))
            {
                error ??= field == AccessLogField.Literal
                    ? $"unknown access log operator %{name}%"
                    : $"%{name}% is not available in {(dialect == AccessLogDialect.Rpc ? "an RPC" : "an HTTP")} access log";
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

    /// <summary>True when the format has a field of kind <paramref name="field"/>.</summary>
    public bool Uses(AccessLogField field)
    {
        foreach (var segment in Segments)
        {
            if (segment.Field == field)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Allows(AccessLogDialect dialect, AccessLogField field) => dialect switch
    {
        AccessLogDialect.Http => field is not (AccessLogField.RpcService or AccessLogField.RpcMethod or AccessLogField.RpcStatus),
        _ => field is not (AccessLogField.Method or AccessLogField.Path or AccessLogField.Authority or AccessLogField.ResponseCode) && !IsTls(field),
    };

    /// <summary>The downstream TLS fields: HTTP listeners only, for now.</summary>
    private static bool IsTls(AccessLogField field) => field >= AccessLogField.DownstreamPeerUriSan;

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
            "RPC_SERVICE" => AccessLogField.RpcService,
            "RPC_METHOD" => AccessLogField.RpcMethod,
            "RPC_STATUS" => AccessLogField.RpcStatus,
            "DOWNSTREAM_PEER_URI_SAN" => AccessLogField.DownstreamPeerUriSan,
            "DOWNSTREAM_PEER_DNS_SAN" => AccessLogField.DownstreamPeerDnsSan,
            "DOWNSTREAM_PEER_SUBJECT" => AccessLogField.DownstreamPeerSubject,
            "DOWNSTREAM_PEER_FINGERPRINT_256" => AccessLogField.DownstreamPeerFingerprint256,
            "DOWNSTREAM_TLS_VERSION" => AccessLogField.DownstreamTlsVersion,
            "DOWNSTREAM_TLS_CIPHER" => AccessLogField.DownstreamTlsCipher,
            _ => AccessLogField.Literal,
        };
        return field != AccessLogField.Literal;
    }
}
