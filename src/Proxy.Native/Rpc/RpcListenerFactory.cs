using System.Collections.Immutable;
using MeshEdge.Codecs.Bolt;
using MeshEdge.Config.Model;
using MeshEdge.Native.Network;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Rpc;

/// <summary>Chooses the codec of an RPC listener and compiles its routes: the one place a new protocol is added.</summary>
internal static class RpcListenerFactory
{
    public static bool IsRpc(ListenerProtocol protocol) => protocol is ListenerProtocol.Bolt;

    public static IDownstreamSessionFactory Create(ListenerConfig listener, ImmutableArray<ClusterRuntime> clusters)
    {
        var config = listener.RpcProxy ?? throw new InvalidOperationException($"listener {listener.Name} has no rpc_proxy");
        var routes = new RpcRouteTable(config, clusters);
        return listener.Protocol switch
        {
            ListenerProtocol.Bolt => new RpcSessionFactory<BoltCodec>(new BoltCodec(config.MaxFrameSize), routes),
            _ => throw new InvalidOperationException($"listener {listener.Name}: {listener.Protocol} is not an RPC protocol"),
        };
    }
}
