using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Http;

/// <summary>
/// What an upstream stream reports to the exchange it belongs to, whatever version it speaks: the
/// connect's outcome, the response as a neutral head, body bytes and trailers, and its loss.
/// After any call the exchange may have released the stream; the stream then stops calling.
/// </summary>
internal interface IUpstreamStreamUser
{
    void OnUpstreamConnected(IUpstreamStream stream);

    void OnUpstreamConnectFailed(IUpstreamStream stream);

    /// <summary>
    /// A response head (an interim 1xx one, after which the final one follows); the head's storage
    /// is the stream's, valid until the next head or the stream's release. With
    /// <paramref name="endStream"/> no body follows. A 101 to an upgrade request turns the stream
    /// into a tunnel: raw bytes follow as <see cref="OnResponseData"/>.
    /// </summary>
    void OnResponseHead(IUpstreamStream stream, ResponseHead head, bool endStream);

    void OnResponseData(IUpstreamStream stream, BlockChain source, long count);

    /// <summary>The response body is complete (in a tunnel: the upstream half-closed); <paramref name="trailers"/> may be null.</summary>
    void OnResponseEnd(IUpstreamStream stream, HeaderBlock? trailers);

    /// <summary>The response was malformed (a bad head or body framing): the stream is unusable.</summary>
    void OnResponseInvalid(IUpstreamStream stream);

    /// <summary>The stream was lost before its response completed; <paramref name="answered"/>: some response byte had come.</summary>
    void OnUpstreamReset(IUpstreamStream stream, bool answered);

    /// <summary>The upstream's output is above (or back below) its watermark: hold (or resume) the downstream's reading.</summary>
    void OnUpstreamWatermark(IUpstreamStream stream, bool above);
}
