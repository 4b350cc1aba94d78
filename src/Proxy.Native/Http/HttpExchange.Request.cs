using MeshEdge.Codecs.Http1;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http;

/// <summary>
/// The request on its way up: the head written for the upstream (the place for request-head
/// mutations), and the body, which arrives as bytes and waits for a connected upstream so that a
/// failed connect can move to the next host with nothing lost.
/// </summary>
internal sealed partial class HttpExchange
{
    // Body bytes from the downstream not yet sent up: held while no upstream is connected.
    private readonly BlockChain _requestBody = new();
    private HeaderBlock? _requestTrailers;
    private bool _requestHasBody;
    private bool _requestEnded;
    private bool _requestSent;
    private bool _requestBodyStarted;
    private bool _requestChunked;
    private bool _requestBodyHeld;

    /// <summary>Request body bytes (or, in a tunnel, any bytes): the first <paramref name="count"/> of <paramref name="source"/>.</summary>
    public void OnRequestData(BlockChain source, long count)
    {
        _bytesReceived += count;
        if (_phase == Phase.Tunnel && _upstream is { } tunnel)
        {
            tunnel.Connection.Write(source, count);
            return;
        }

        if (_phase != Phase.Active)
        {
            source.Consume(count, _worker.Pool);
            return;
        }

        source.MovePrefixTo(_requestBody, count, _worker.Pool);
        FlushRequestBody();
    }

    /// <summary>The request is complete; <paramref name="trailers"/> (may be null) stay the downstream's until <see cref="IDownstreamStream.Finish"/>.</summary>
    public void OnRequestEnd(HeaderBlock? trailers)
    {
        if (_phase == Phase.Tunnel)
        {
            _upstream?.Connection.ShutdownWrite();
            return;
        }

        if (_phase != Phase.Active)
        {
            return;
        }

        _requestEnded = true;
        _requestTrailers = trailers;
        FlushRequestBody();
    }

    private void SendRequestHead()
    {
        var upstream = _upstream!;
        Span<byte> requestId = stackalloc byte[32];
        var generateId = _config.GenerateRequestId && _head.RequestIdField < 0;
        if (generateId)
        {
            RequestIds.Write(_worker.Random, requestId);
        }

        // A body of unknown length goes up chunked; a declared length passes through as its field.
        _requestChunked = _requestHasBody && _head.DeclaredLength < 0;
        var info = new ForwardingInfo(_config.AddForwardedHeaders, _downstream.ClientAddress, generateId ? requestId : default, _downstream.Secure);
        RequestHeadWriter.Write(_writer, _head, _route!, info, _requestChunked);
        upstream.Requests++;
        _clusterStats.RequestsTotal++;
        upstream.Connection.Write(_staging);
        _requestHeadSent = true;
        _requestSent = false;
        FlushRequestBody();
    }

    /// <summary>Sends what the downstream has delivered of the body, once an upstream is connected and has the head.</summary>
    private void FlushRequestBody()
    {
        if (!_requestHeadSent || _upstream is not { Connected: true } upstream)
        {
            // Not connected yet: hold the body, but do not read without bound meanwhile.
            if (_requestBody.Length > _bufferLimit && !_requestBodyHeld)
            {
                _requestBodyHeld = true;
                _downstream.PauseReading(true);
            }

            return;
        }

        if (!_requestBody.IsEmpty)
        {
            _requestBodyStarted = true;
            if (_requestChunked)
            {
                Http1Writer.WriteChunkHeader(_writer, _requestBody.Length);
                _staging.MoveFrom(_requestBody, _worker.Pool);
                Http1Writer.WriteChunkEnd(_writer);
                upstream.Connection.Write(_staging);
            }
            else
            {
                upstream.Connection.Write(_requestBody);
            }
        }

        if (_requestEnded && !_requestSent)
        {
            _requestSent = true;
            if (_requestChunked)
            {
                _requestBodyStarted = true;
                Http1Writer.WriteLastChunk(_writer);
                WriteTrailers(_requestTrailers);
                Http1Writer.WriteEndOfHeaders(_writer);
                upstream.Connection.Write(_staging);
            }
        }

        if (_requestBodyHeld)
        {
            _requestBodyHeld = false;
            _downstream.PauseReading(false);
        }
    }

    private void WriteTrailers(HeaderBlock? trailers)
    {
        if (trailers is null)
        {
            return;
        }

        for (var i = 0; i < trailers.FieldCount; i++)
        {
            Http1Writer.WriteHeader(_writer, trailers.Name(i), trailers.Value(i));
        }
    }
}
