using MeshEdge.Codecs.Bolt;
using MeshEdge.Config.Model;
using MeshEdge.Native.Network;

namespace MeshEdge.Native.Rpc;

/// <summary>Chooses the codec of an RPC listener and compiles its routes: the one place a new protocol is added.</summary>
internal static class RpcListenerFactory
{
    public static bool IsRpc(ListenerProtocol protocol) => protocol is ListenerProtocol.Bolt;

    /// <param name="routes">The listener's compiled routes: the first version's, used until the listener has a current version.</param>
    public static IDownstreamSessionFactory Create(ListenerConfig listener, RpcRouteTable routes)
    {
        var config = listener.RpcProxy ?? throw new InvalidOperationException($"listener {listener.Name} has no rpc_proxy");
        return listener.Protocol switch
        {
            ListenerProtocol.Bolt => new RpcSessionFactory<BoltCodec>(new BoltCodec(config.MaxFrameSize), routes),
            _ => throw new InvalidOperationException($"listener {listener.Name}: {listener.Protocol} is not an RPC protocol"),
        };
    }
}
