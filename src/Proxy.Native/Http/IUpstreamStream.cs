using MeshEdge.Native.Http.Routing;
using MeshEdge.Native.Runtime;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Http;

/// <summary>
/// One request on an upstream connection, as the exchange sees it, whatever version the connection
/// speaks (Envoy's RequestEncoder): the exchange hands over a neutral head, body bytes and trailers,
/// and the upstream codec frames them; the response comes back through <see cref="IUpstreamStreamUser"/>.
/// HTTP/1.1's is <see cref="HttpUpstream"/>; an h2 stream will be another.
/// </summary>
internal interface IUpstreamStream
{
    UpstreamHost Host { get; }

    /// <summary>The connection is up and can take the request (false while connecting).</summary>
    bool Connected { get; }

    /// <summary>
    /// The request head with the route's rewrites and the forwarding fields; with
    /// <paramref name="endStream"/> no body follows. <paramref name="maxResponseHeadBytes"/> bounds
    /// the response head read back.
    /// </summary>
    void SendRequestHead(RequestHead head, CompiledRoute route, in ForwardingInfo info, bool endStream, int maxResponseHeadBytes);

    /// <summary>Body bytes (after a 101, tunnel bytes): the first <paramref name="count"/> of <paramref name="source"/>.</summary>
    void SendRequestData(BlockChain source, long count);

    /// <summary>The request body is complete (in a tunnel: the client half-closed); <paramref name="trailers"/> may be null.</summary>
    void EndRequest(HeaderBlock? trailers);

    /// <summary>Backpressure: stop or resume reading the response (the downstream is above its high watermark).</summary>
    void PauseReading(bool pause);
}
