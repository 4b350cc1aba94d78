using System.Buffers;
using System.Buffers.Text;
using MeshEdge.Codecs.Http1;
using MeshEdge.Config.AccessLog;

namespace MeshEdge.Native.AccessLogs;

/// <summary>
/// Formats an entry into a line, straight into the worker's buffer for that log: no strings, no
/// allocation. Missing values print "-", as in Envoy.
/// </summary>
internal static class AccessLogWriter
{
    public static void Write(IBufferWriter<byte> output, AccessLogFormat format, in AccessLogEntry entry)
    {
        foreach (var segment in format.Segments)
        {
            switch (segment.Field)
            {
                case AccessLogField.Literal:
                    output.Write(segment.Bytes);
                    break;
                case AccessLogField.StartTime:
                    WriteFormatted(output, entry.StartUtc, 'O');
                    break;
                case AccessLogField.Method:
                    WriteOrDash(output, entry.Head.MethodToken);
                    break;
                case AccessLogField.Path:
                    WriteOrDash(output, entry.Head.Target);
                    break;
                case AccessLogField.Authority:
                    WriteOrDash(output, entry.Head.Authority);
                    break;
                case AccessLogField.RequestHeader:
                    var field = entry.Head.Find(segment.Bytes);
                    WriteOrDash(output, field < 0 ? default : entry.Head.Value(field));
                    break;
                case AccessLogField.Protocol:
                    output.Write(entry.Head.Version == Http1Version.Http10 ? "HTTP/1.0"u8 : "HTTP/1.1"u8);
                    break;
                case AccessLogField.ResponseCode:
                    WriteNumber(output, entry.Status);
                    break;
                case AccessLogField.ResponseFlags:
                    WriteOrDash(output, entry.Flags);
                    break;
                case AccessLogField.BytesReceived:
                    WriteNumber(output, entry.BytesReceived);
                    break;
                case AccessLogField.BytesSent:
                    WriteNumber(output, entry.BytesSent);
                    break;
                case AccessLogField.Duration:
                    WriteNumber(output, entry.DurationMs);
                    break;
                case AccessLogField.UpstreamHost:
                    WriteEndpoint(output, entry.UpstreamHost);
                    break;
                case AccessLogField.DownstreamRemoteAddress:
                    WriteOrDash(output, entry.ClientAddress);
                    break;
                default:
                    TlsLogFields.Write(output, segment.Field, entry.Peer);
                    break;
            }
        }

        output.Write("\n"u8);
    }

    public static void WriteOrDash(IBufferWriter<byte> output, ReadOnlySpan<byte> value) =>
        output.Write(value.IsEmpty ? "-"u8 : value);

    public static void WriteNumber(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }

    public static void WriteFormatted(IBufferWriter<byte> output, DateTime value, char format)
    {
        var span = output.GetSpan(40);
        Utf8Formatter.TryFormat(value, span, out var written, new System.Buffers.StandardFormat(format));
        output.Advance(written);
    }

    public static void WriteEndpoint(IBufferWriter<byte> output, System.Net.IPEndPoint? endpoint)
    {
        if (endpoint is null)
        {
            output.Write("-"u8);
            return;
        }

        var v6 = endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        if (v6)
        {
            output.Write("["u8);
        }

        var span = output.GetSpan(64);
        if (endpoint.Address.TryFormat(span, out var written))
        {
            output.Advance(written);
        }

        output.Write(v6 ? "]:"u8 : ":"u8);
        WriteNumber(output, endpoint.Port);
    }
}
