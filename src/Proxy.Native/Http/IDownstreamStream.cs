using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http;

/// <summary>
/// One request's stream on a downstream connection, as its <see cref="HttpExchange"/> sees it,
/// whatever version the connection speaks (Envoy's ResponseEncoder and StreamCallbacks in one): the
/// exchange hands over a response as a head, body bytes and trailers, never as HTTP/1 or HTTP/2
/// bytes, and the codec frames them. Requests come the other way as events on the exchange
/// (<see cref="HttpExchange.OnRequestHead"/>, <see cref="HttpExchange.OnRequestData"/>,
/// <see cref="HttpExchange.OnRequestEnd"/>).
/// </summary>
internal interface IDownstreamStream
{
    /// <summary>The request head, valid from OnRequestHead until <see cref="Finish"/> or the reset.</summary>
    RequestHead Head { get; }

    /// <summary>The connection came over TLS (x-forwarded-proto, the redirect scheme).</summary>
    bool Secure { get; }

    /// <summary>The mTLS client's identity, captured once per connection; null without TLS or without a client certificate.</summary>
    Tls.TlsPeerIdentity? Peer { get; }

    ReadOnlySpan<byte> ClientAddress { get; }

    /// <summary>The hash of the client's address, for source_ip hash policies.</summary>
    ulong ClientHash { get; }

    /// <summary>Answers the request from the proxy itself; the response is complete after it.</summary>
    void SendLocalReply(in LocalReply reply);

    /// <summary>
    /// The response head (or an interim 1xx head, after which the final one follows); with
    /// <paramref name="endStream"/> the response has no body. A 101 to an upgrade request is
    /// followed by <see cref="StartTunnel"/>.
    /// </summary>
    void SendResponseHead(ResponseHead head, bool endStream);

    /// <summary>Takes the first <paramref name="count"/> body bytes of <paramref name="source"/>; the codec adds its framing.</summary>
    void SendResponseData(BlockChain source, long count);

    /// <summary>The response body is complete; <paramref name="trailers"/> (may be null) end it where the version can carry them.</summary>
    void EndResponse(HeaderBlock? trailers);

    /// <summary>After a 101: raw bytes both ways from here (request bytes arrive as OnRequestData).</summary>
    void StartTunnel();

    /// <summary>The response cannot be completed: cut the stream so the client sees it was cut short.</summary>
    void Reset();

    /// <summary>Backpressure: stop or resume delivering request bytes (the upstream is above its high watermark).</summary>
    void PauseReading(bool pause);

    /// <summary>The exchange is over (its access log line written): the stream's storage may go and the next request may start.</summary>
    void Finish();
}
