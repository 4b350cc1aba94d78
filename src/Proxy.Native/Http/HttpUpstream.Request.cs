using MeshEdge.Codecs.Http1;
using MeshEdge.Native.Http.Routing;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http;

/// <summary>Writing the request: the head from <see cref="RequestHeadWriter"/>, the body framed for this hop.</summary>
internal sealed partial class HttpUpstream
{
    private bool _requestChunked;
    private bool _requestComplete;

    public void SendRequestHead(RequestHead head, CompiledRoute route, in ForwardingInfo info, bool endStream, int maxResponseHeadBytes)
    {
        // A body of unknown length goes chunked; a declared length passes through as its field.
        // HTTP/1.1 carries trailers only after a chunked body, while h2 sends them after DATA of
        // any declared length: an h2 request that announced trailers (a Trailer field) is re-framed
        // chunked for this hop, its content-length left out (RFC 9112 §6.1: not both). Trailers of
        // a request that declared a length and announced none are dropped, as Envoy drops them.
        var trailersAnnounced = head.IsHttp2 && head.TrailerField >= 0;
        _requestChunked = !endStream && (head.DeclaredLength < 0 || trailersAnnounced);
        _requestComplete = endStream;
        BeginResponse(head, maxResponseHeadBytes);
        RequestHeadWriter.Write(_writer, head, route, info, _requestChunked);
        Requests++;
        Connection.Write(_staging);
    }

    public void SendRequestData(BlockChain source, long count)
    {
        if (_requestChunked && !_tunnel)
        {
            Http1Writer.WriteChunkHeader(_writer, count);
            source.MovePrefixTo(_staging, count, _blocks);
            Http1Writer.WriteChunkEnd(_writer);
            Connection.Write(_staging);
            return;
        }

        Connection.Write(source, count);
    }

    public void EndRequest(HeaderBlock? trailers)
    {
        if (_tunnel)
        {
            Connection.ShutdownWrite();
            return;
        }

        _requestComplete = true;
        if (!_requestChunked)
        {
            return;
        }

        Http1Writer.WriteLastChunk(_writer);
        if (trailers is not null)
        {
            for (var i = 0; i < trailers.FieldCount; i++)
            {
                Http1Writer.WriteHeader(_writer, trailers.Name(i), trailers.Value(i));
            }
        }

        Http1Writer.WriteEndOfHeaders(_writer);
        Connection.Write(_staging);
    }
}
