using MeshEdge.Native.Network;

namespace MeshEdge.Native.Proxy;

/// <summary>Where a listener's SNI routing counters live: its own factory (protocol = "tcp"), or the TCP side of an auto listener.</summary>
internal static class SniStatsSources
{
    public static SniRoutingSessionFactory? Of(ListenerRuntime listener) => listener.SessionFactory switch
    {
        SniRoutingSessionFactory sni => sni,
        DetectingSessionFactory detecting => detecting.Fallback as SniRoutingSessionFactory,
        _ => null,
    };
}
