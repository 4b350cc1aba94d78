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
    private bool _requestBodyHeld;

    /// <summary>Request body bytes (or, in a tunnel, any bytes): the first <paramref name="count"/> of <paramref name="source"/>.</summary>
    public void OnRequestData(BlockChain source, long count)
    {
        _bytesReceived += count;
        if (_phase == Phase.Tunnel && _upstream is { } tunnel)
        {
            tunnel.SendRequestData(source, count);
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
            _upstream?.EndRequest(null);
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

        var info = new ForwardingInfo(_config.AddForwardedHeaders, _downstream.ClientAddress, generateId ? requestId : default, _downstream.Secure)
        {
            Peer = _downstream.Peer,
            ClientCertMode = _config.ForwardClientCertDetails,
        };
        upstream.SendRequestHead(_head, _route!, info, endStream: !_requestHasBody, _config.MaxRequestHeadersBytes);
        _clusterStats.RequestsTotal++;
        _requestHeadSent = true;
        _requestSent = !_requestHasBody;
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
            upstream.SendRequestData(_requestBody, _requestBody.Length);
        }

        if (_requestEnded && !_requestSent)
        {
            // Even an empty body's end may have told the upstream something: no replay after it.
            _requestSent = true;
            _requestBodyStarted = true;
            upstream.EndRequest(_requestTrailers);
        }

        if (_requestBodyHeld)
        {
            _requestBodyHeld = false;
            _downstream.PauseReading(false);
        }
    }
}
