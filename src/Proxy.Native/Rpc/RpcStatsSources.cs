using MeshEdge.Native.Network;

namespace MeshEdge.Native.Rpc;

/// <summary>Where a listener's RPC stats live: its own factory (protocol = "bolt"), or the RPC side of an auto listener.</summary>
internal static class RpcStatsSources
{
    public static IRpcStatsSource? Of(ListenerRuntime listener) => listener.SessionFactory switch
    {
        IRpcStatsSource source => source,
        DetectingSessionFactory detecting => detecting.Rpc as IRpcStatsSource,
        _ => null,
    };
}
