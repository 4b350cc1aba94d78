using System.Text;
using MeshEdge.Codecs.Http2;
using MeshEdge.Codecs.Http2.Connection;

namespace MeshEdge.Codecs.Tests.Http2.Connection.TestSupport;

/// <summary>Writes each event as one line ("headers 1 Request es=False :method=GET ...", "data 1 5 es=True", ...).</summary>
internal struct RecordingHandler() : IHttp2ConnectionHandler
{
    public List<string> Events { get; } = [];

    /// <summary>Called with each DATA event; a test can release bytes from here.</summary>
    public Action<uint, int, bool>? OnDataSeen { get; init; }

    public readonly void OnHeaders(uint streamId, Http2HeadersKind kind, in Http2HeaderFields fields, bool endStream)
    {
        var text = new StringBuilder($"headers {streamId} {kind} es={endStream}");
        for (var i = 0; i < fields.Count; i++)
        {
            text.Append(' ').Append(Encoding.Latin1.GetString(fields.Name(i))).Append('=').Append(Encoding.Latin1.GetString(fields.Value(i)));
        }

        Events.Add(text.ToString());
    }

    public readonly void OnData(uint streamId, ReadOnlySpan<byte> data, bool endStream)
    {
        Events.Add($"data {streamId} {Encoding.Latin1.GetString(data)} es={endStream}");
        OnDataSeen?.Invoke(streamId, data.Length, endStream);
    }

    public readonly void OnStreamReset(in Http2StreamReset reset) =>
        Events.Add($"reset {reset.StreamId} {reset.Code} byPeer={reset.ByPeer} notProcessed={reset.NotProcessed}");

    public readonly void OnGoAway(uint lastStreamId, Http2ErrorCode code, ReadOnlySpan<byte> debugData) =>
        Events.Add($"goaway {lastStreamId} {code}");

    public readonly void OnWindowOpened(uint streamId) => Events.Add($"window {streamId}");
}
