using System.Text;
using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;

namespace MeshEdge.Native.Xds.Grpc;

/// <summary>What the connection reports for the call's stream: response headers, messages, trailers, resets and GOAWAY.</summary>
internal sealed partial class GrpcDuplexCall
{
    private void OnHeaders(Http2HeadersKind kind, in Http2HeaderFields fields, bool endStream)
    {
        if (kind == Http2HeadersKind.Response)
        {
            if (fields.Status != 200)
            {
                Fail(FromHttpStatus(fields.Status), $"the control plane answered HTTP {fields.Status}");
                return;
            }

            if (!fields.TryGet("content-type"u8, out var type) || !type.StartsWith("application/grpc"u8))
            {
                Fail(GrpcStatusCode.Unknown, "the control plane's response is not application/grpc");
                return;
            }
        }

        if (endStream && kind is Http2HeadersKind.Response or Http2HeadersKind.Trailers)
        {
            // Trailers, or a Trailers-Only response: the call's status.
            End(fields);
        }
    }

    private void End(in Http2HeaderFields fields)
    {
        if (!fields.TryGet("grpc-status"u8, out var code) || !int.TryParse(code, out var status))
        {
            Fail(GrpcStatusCode.Internal, "the call ended without grpc-status");
            return;
        }

        if (status != 0)
        {
            var message = fields.TryGet("grpc-message"u8, out var text) ? Uri.UnescapeDataString(Encoding.UTF8.GetString(text)) : "";
            Fail((GrpcStatusCode)status, message.Length > 0 ? message : "no grpc-message");
            return;
        }

        if (_messages.InsideMessage)
        {
            Fail(GrpcStatusCode.Internal, "the call ended inside a message");
            return;
        }

        _ended = true;
    }

    private void OnData(ReadOnlySpan<byte> data, bool endStream)
    {
        if (_failure is null && _messages.Append(data) is { } error)
        {
            Fail(GrpcStatusCode.Internal, error);
            _connection.ResetStream(_streamId, Http2ErrorCode.Cancel);
            return;
        }

        // Bytes of a message still being read go back at once (a message larger than the window must
        // stream through); bytes that arrive while whole messages wait are held until they are read.
        if (_messages.Count == 0)
        {
            _connection.ReleaseReceived(_streamId, data.Length);
        }
        else
        {
            _heldBytes += data.Length;
        }

        if (endStream)
        {
            Fail(GrpcStatusCode.Internal, "the call ended without trailers");
        }
    }

    private void OnReset(in Http2StreamReset reset) => Fail(
        reset.Code switch
        {
            Http2ErrorCode.RefusedStream => GrpcStatusCode.Unavailable,
            Http2ErrorCode.Cancel => GrpcStatusCode.Cancelled,
            Http2ErrorCode.EnhanceYourCalm => GrpcStatusCode.ResourceExhausted,
            Http2ErrorCode.InadequateSecurity => GrpcStatusCode.PermissionDenied,
            _ => reset.NotProcessed ? GrpcStatusCode.Unavailable : GrpcStatusCode.Internal,
        },
        $"the stream was reset ({reset.Code}{(reset.ByPeer ? ", by the control plane" : ", by us for its error")})");

    private void OnGoAway(Http2ErrorCode code, ReadOnlySpan<byte> debugData)
    {
        // NO_ERROR: the server is going; this stream may still finish (it ends with its trailers).
        if (code != Http2ErrorCode.NoError)
        {
            Fail(GrpcStatusCode.Unavailable, $"GOAWAY {code}: {Encoding.UTF8.GetString(debugData)}");
        }
    }

    /// <summary>grpc/grpc doc/http-grpc-status-mapping.md.</summary>
    private static GrpcStatusCode FromHttpStatus(int status) => status switch
    {
        400 => GrpcStatusCode.Internal,
        401 => GrpcStatusCode.Unauthenticated,
        403 => GrpcStatusCode.PermissionDenied,
        404 => GrpcStatusCode.Unimplemented,
        429 or 502 or 503 or 504 => GrpcStatusCode.Unavailable,
        _ => GrpcStatusCode.Unknown,
    };

    /// <summary>The handler the connection is generic over: forwards to the call, for its one stream.</summary>
    private readonly struct Events(GrpcDuplexCall call) : IHttp2ConnectionHandler
    {
        public void OnHeaders(uint streamId, Http2HeadersKind kind, in Http2HeaderFields fields, bool endStream)
        {
            if (streamId == call._streamId)
            {
                call.OnHeaders(kind, fields, endStream);
            }
        }

        public void OnData(uint streamId, ReadOnlySpan<byte> data, bool endStream)
        {
            if (streamId == call._streamId)
            {
                call.OnData(data, endStream);
            }
        }

        public void OnStreamReset(in Http2StreamReset reset)
        {
            if (reset.StreamId == call._streamId)
            {
                call.OnReset(reset);
            }
        }

        public void OnGoAway(uint lastStreamId, Http2ErrorCode code, ReadOnlySpan<byte> debugData) => call.OnGoAway(code, debugData);

        public void OnWindowOpened(uint streamId)
        {
            // Send tries again after every read.
        }
    }
}
