using MeshEdge.Codecs.Http1;
using MeshEdge.Native.Http.Routing;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http.Upstream2;

/// <summary>
/// Sending the request: the head as HEADERS, the body as DATA within the stream's and the
/// connection's send windows (what does not fit waits here until WINDOW_UPDATE, and past a
/// watermark the exchange stops reading the client), the trailers as a last HEADERS.
/// </summary>
internal sealed partial class Http2UpstreamStream
{
    // The request body waiting for window: above this the client is paused, below the low mark it resumes.
    private const int BodyHighWatermark = 256 * 1024;
    private const int BodyLowWatermark = 64 * 1024;

    private readonly BlockChain _pendingBody = new();
    private readonly HeaderBlock _requestTrailers = new();
    private bool _endRequested;
    private bool _endSent;
    private bool _aboveWatermark;

    /// <summary>The head could not open a stream (the peer lowered its limit, or went away, since the lease): refused, told on the next tick.</summary>
    public bool Refused { get; private set; }

    public void SendRequestHead(RequestHead head, CompiledRoute route, in ForwardingInfo info, bool endStream, int maxResponseHeadBytes)
    {
        var owner = Owner!;
        var codec = owner.Codec;
        if (!codec.TryOpenStream(out var id))
        {
            Refused = true;
            owner.RefuseLater(this);
            return;
        }

        codec.AddHeader(":method"u8, head.MethodToken);
        codec.AddHeader(":scheme"u8, owner.Scheme);
        codec.AddHeader(":authority"u8, RequestHeadWriter.Authority(head, route));
        var length = RequestHeadWriter.RewrittenTargetLength(head, route);
        var buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        codec.AddHeader(":path"u8, RequestHeadWriter.Target(head, route, buffer));
        var sink = new Http2RequestFieldSink(codec);
        RequestHeadWriter.WriteFields(ref sink, head, route, info);
        Id = id;
        _endRequested = _endSent = endStream;
        owner.OnStreamOpened(this);
        codec.SendHeaders(id, endStream, owner.Writer);
        owner.Flush();
    }

    public void SendRequestData(BlockChain source, long count)
    {
        source.MovePrefixTo(_pendingBody, count, _blocks);
        PumpBody();
    }

    public void EndRequest(HeaderBlock? trailers)
    {
        _endRequested = true;
        if (trailers is { FieldCount: > 0 })
        {
            // Kept until the body before them has left: the exchange's block may not outlive this call.
            _requestTrailers.Begin();
            for (var i = 0; i < trailers.FieldCount; i++)
            {
                _requestTrailers.AddField(Http1KnownHeader.Unknown, trailers.Name(i), trailers.Value(i));
            }
        }

        PumpBody();
    }

    /// <summary>Sends what the windows allow of the waiting body, then the end of the request once all of it is out.</summary>
    internal void PumpBody()
    {
        if (Id == 0 || _endSent || Owner is not { } owner)
        {
            // Refused, or not yet open: nothing can leave. A refused stream's body is dropped with it.
            _pendingBody.Clear(_blocks);
            return;
        }

        var codec = owner.Codec;
        var trailers = _requestTrailers.FieldCount > 0;
        while (_pendingBody.Head is { } block)
        {
            var span = block.Readable;
            var last = _endRequested && !trailers && span.Length == _pendingBody.Length;
            var sent = codec.SendData(Id, span, last, owner.Writer);
            if (sent < 0)
            {
                // The stream is gone (reset meanwhile): its loss is reported on its own path.
                _pendingBody.Clear(_blocks);
                _endSent = true;
                break;
            }

            _pendingBody.Consume(sent, _blocks);
            _endSent = last && sent == span.Length;
            if (sent < span.Length)
            {
                break;
            }
        }

        if (_pendingBody.IsEmpty && _endRequested && !_endSent)
        {
            if (trailers)
            {
                var sink = new Http2RequestFieldSink(codec);
                for (var i = 0; i < _requestTrailers.FieldCount; i++)
                {
                    sink.Add(_requestTrailers.Name(i), _requestTrailers.Value(i));
                }

                codec.SendHeaders(Id, endStream: true, owner.Writer);
            }
            else
            {
                codec.SendData(Id, default, endStream: true, owner.Writer);
            }

            _endSent = true;
        }

        owner.Flush();
        UpdateWatermark();
    }

    private void UpdateWatermark()
    {
        var waiting = _pendingBody.Length;
        if (!_aboveWatermark && waiting > BodyHighWatermark)
        {
            _aboveWatermark = true;
            User?.OnUpstreamWatermark(this, true);
        }
        else if (_aboveWatermark && waiting < BodyLowWatermark)
        {
            _aboveWatermark = false;
            User?.OnUpstreamWatermark(this, false);
        }
    }

    private void ClearRequest()
    {
        _pendingBody.Clear(_blocks);
        _requestTrailers.End();
        _endRequested = _endSent = _aboveWatermark = false;
        Refused = false;
    }
}
