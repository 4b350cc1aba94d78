using MeshEdge.Codecs.Http1;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http;

/// <summary>
/// What an HTTP/1 downstream connection needs only while a request is in progress: the exchange
/// (with its timers and request-body chain), the head's parser and the body's decoder, the neutral
/// request head, the request's trailers and the staging chain the response is framed into. Lent by the worker's <see cref="Http1RequestLeases"/>
/// from a request's first byte until its exchange is over, so an idle keep-alive connection holds
/// none of it: the per-connection cost is what the connection itself needs between requests.
/// </summary>
internal sealed class Http1RequestLease
{
    public Http1RequestLease(Worker worker, ListenerRuntime listener, IDownstreamStream owner)
    {
        Exchange = new HttpExchange(worker, listener, owner);
        Writer = new BlockChainWriter(worker.Pool) { Target = Staging };
    }

    public HttpExchange Exchange { get; }

    /// <summary>The request head's parser, made afresh (with the connection's limits) as each request begins; a field, as it parses in place.</summary>
    public Http1RequestParser Parser;

    /// <summary>The request body's decoder, made from the head's framing; a field, as it decodes in place.</summary>
    public Http1BodyReader Body;

    public RequestHead Head { get; } = new();

    public HeaderBlock Trailers { get; } = new();

    /// <summary>Response bytes framed by the connection, moved to its output by each write.</summary>
    public BlockChain Staging { get; } = new();

    public BlockChainWriter Writer { get; }
}
