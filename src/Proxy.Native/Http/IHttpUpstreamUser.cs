using MeshEdge.Native.Network;

namespace MeshEdge.Native.Http;

/// <summary>The session an upstream connection is leased to hears its events through this.</summary>
internal interface IHttpUpstreamUser
{
    void OnUpstreamConnected(HttpUpstream upstream);

    void OnUpstreamConnectFailed(HttpUpstream upstream, int errno);

    void OnUpstreamData(HttpUpstream upstream);

    void OnUpstreamReadEof(HttpUpstream upstream);

    void OnUpstreamClosed(HttpUpstream upstream, CloseReason reason);

    void OnUpstreamAboveHighWatermark(HttpUpstream upstream);

    void OnUpstreamBelowLowWatermark(HttpUpstream upstream);
}
