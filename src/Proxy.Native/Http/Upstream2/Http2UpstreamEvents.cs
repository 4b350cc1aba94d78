using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;

namespace MeshEdge.Native.Http.Upstream2;

/// <summary>The codec's events for one upstream connection, as a struct so that <see cref="Http2Connection.Receive"/> is specialised for it.</summary>
internal readonly struct Http2UpstreamEvents(Http2UpstreamConnection connection) : IHttp2ConnectionHandler
{
    public void OnHeaders(uint streamId, Http2HeadersKind kind, in Http2HeaderFields fields, bool endStream)
    {
        if (connection.StreamById(streamId) is { User: not null } stream)
        {
            stream.OnHeaders(kind, fields, endStream);
        }
    }

    public void OnData(uint streamId, ReadOnlySpan<byte> data, bool endStream)
    {
        if (connection.StreamById(streamId) is { User: not null } stream)
        {
            stream.OnData(data, endStream, connection.Codec);
        }
        else
        {
            // Nobody reads it (the exchange let go): the connection's window must not shrink for it.
            connection.Codec.ReleaseReceived(0, data.Length);
        }
    }

    public void OnStreamReset(in Http2StreamReset reset) => connection.OnStreamReset(reset);

    public void OnGoAway(uint lastStreamId, Http2ErrorCode code, ReadOnlySpan<byte> debugData) => connection.OnGoAway(code);

    public void OnWindowOpened(uint streamId) => connection.StreamById(streamId)?.PumpBody();
}
