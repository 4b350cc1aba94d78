using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Http;

/// <summary>
/// One worker's HTTP connections to one cluster, whatever version they speak: the exchange leases a
/// stream on an idle (or, for h2, a shared) connection, or has one opened, and gives it back.
/// <see cref="HttpConnectionPool"/> is HTTP/1.1's; an h2 pool will stand beside it.
/// </summary>
internal interface IHttpUpstreamPool : IUpstreamConnectionPool
{
    /// <summary>A stream on a ready connection to <paramref name="host"/> for <paramref name="user"/>, or null.</summary>
    IUpstreamStream? TryLease(UpstreamHost host, IUpstreamStreamUser user);

    /// <summary>
    /// A stream on a new connection to <paramref name="host"/>; it reports
    /// <see cref="IUpstreamStreamUser.OnUpstreamConnected"/> when ready. Null with
    /// <paramref name="overflow"/> set when the cluster's connection breaker is full, or with
    /// <paramref name="errno"/> set when the connect failed at once.
    /// </summary>
    IUpstreamStream? Connect(UpstreamHost host, IUpstreamStreamUser user, int bufferLimit, out bool overflow, out int errno);

    /// <summary>
    /// The exchange is done with <paramref name="stream"/>; <paramref name="clean"/> when both
    /// messages completed, so the connection may be kept if its codec agrees.
    /// </summary>
    void Release(IUpstreamStream stream, bool clean);
}
