using System.Buffers;
using MeshEdge.Config.AccessLog;

namespace MeshEdge.Native.AccessLogs;

/// <summary>Formats an RPC entry into a line, straight into the worker's buffer: no strings, no allocation. Missing values print "-".</summary>
internal static class RpcAccessLogWriter
{
    public static void Write(IBufferWriter<byte> output, AccessLogFormat format, in RpcAccessLogEntry entry)
    {
        var segments = format.Segments;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            switch (segment.Field)
            {
                case AccessLogField.Literal:
                    output.Write(segment.Bytes);
                    break;
                case AccessLogField.StartTime:
                    AccessLogWriter.WriteFormatted(output, entry.StartUtc, 'O');
                    break;
                case AccessLogField.Protocol:
                    AccessLogWriter.WriteOrDash(output, entry.Protocol);
                    break;
                case AccessLogField.RpcService:
                    AccessLogWriter.WriteOrDash(output, entry.Fields.Service);
                    break;
                case AccessLogField.RpcMethod:
                    AccessLogWriter.WriteOrDash(output, entry.Fields.Method);
                    break;
                case AccessLogField.RequestHeader:
                    AccessLogWriter.WriteOrDash(output, entry.Fields.Header(i));
                    break;
                case AccessLogField.RpcStatus:
                    if (entry.Status < 0)
                    {
                        output.Write("-"u8);
                    }
                    else
                    {
                        AccessLogWriter.WriteNumber(output, entry.Status);
                    }

                    break;
                case AccessLogField.ResponseFlags:
                    AccessLogWriter.WriteOrDash(output, entry.Flags);
                    break;
                case AccessLogField.BytesReceived:
                    AccessLogWriter.WriteNumber(output, entry.BytesReceived);
                    break;
                case AccessLogField.BytesSent:
                    AccessLogWriter.WriteNumber(output, entry.BytesSent);
                    break;
                case AccessLogField.Duration:
                    AccessLogWriter.WriteNumber(output, entry.DurationMs);
                    break;
                case AccessLogField.UpstreamHost:
                    AccessLogWriter.WriteEndpoint(output, entry.UpstreamHost);
                    break;
                case AccessLogField.DownstreamRemoteAddress:
                    AccessLogWriter.WriteOrDash(output, entry.ClientAddress);
                    break;
            }
        }

        output.Write("\n"u8);
    }
}
