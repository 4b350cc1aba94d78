using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;

namespace MeshEdge.Native.Http.Http2;

/// <summary>The frame layer's events for one downstream connection, as a struct so that Receive is specialised for it.</summary>
internal readonly struct Http2FrameEvents(Http2DownstreamConnection connection) : IHttp2ConnectionHandler
{
    public void OnHeaders(uint streamId, Http2HeadersKind kind, in Http2HeaderFields fields, bool endStream)
    {
        switch (kind)
        {
            case Http2HeadersKind.Request:
                connection.OnRequestHeaders(streamId, fields, endStream);
                break;
            case Http2HeadersKind.Trailers:
                connection.OnTrailers(streamId, fields);
                break;
        }
    }

    public void OnData(uint streamId, ReadOnlySpan<byte> data, bool endStream) => connection.OnRequestData(streamId, data, endStream);

    public void OnStreamReset(in Http2StreamReset reset) => connection.OnStreamReset(reset);

    public void OnGoAway(uint lastStreamId, Http2ErrorCode code, ReadOnlySpan<byte> debugData)
    {
        // The client opens no more streams; those in flight finish and the connection then closes (CanClose).
    }

    public void OnWindowOpened(uint streamId) => connection.OnWindowOpened(streamId);
}
