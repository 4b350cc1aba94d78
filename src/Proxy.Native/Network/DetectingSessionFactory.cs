using MeshEdge.Codecs.Detection;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Network;

/// <summary>
/// The session factory of a protocol = "auto" listener: each accepted connection first waits (up to
/// the detection timeout) for bytes enough to tell its protocol, then goes to that protocol's
/// factory; what is not recognised, or says nothing in time, goes to the TCP proxy when the listener
/// has one, else is closed.
/// </summary>
internal sealed class DetectingSessionFactory(
    IDownstreamSessionFactory? http,
    IDownstreamSessionFactory? bolt,
    IDownstreamSessionFactory? fallback) : IDownstreamSessionFactory
{
    /// <summary>The RPC (Bolt) side's factory, when the listener has an rpc_proxy: its stats are the listener's RPC stats.</summary>
    public IDownstreamSessionFactory? Rpc => bolt;

    /// <summary>The TCP proxy's factory, when the listener has a tcp_proxy: it takes what is not recognised.</summary>
    public IDownstreamSessionFactory? Fallback => fallback;

    public void Start(Worker worker, ListenerRuntime listener, int fd, ulong clientHash) =>
        new ProtocolDetector(worker, listener, this, fd, clientHash).Start();

    /// <summary>The factory for a detected protocol; <see cref="DetectedProtocol.Unknown"/> (or one not configured) gets the fallback.</summary>
    public IDownstreamSessionFactory? For(DetectedProtocol protocol) => protocol switch
    {
        DetectedProtocol.Http1 when http is not null => http,

        // The HTTP session sees the preface again and hands the connection to HTTP/2.
        DetectedProtocol.Http2 when http is not null => http,
        DetectedProtocol.Bolt when bolt is not null => bolt,
        _ => fallback,
    };
}
