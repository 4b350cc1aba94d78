namespace MeshEdge.Config.Model;

public enum ListenerProtocol
{
    Tcp,
    Http,

    /// <summary>SOFARPC Bolt (v1 and v2): the multiplexed RPC session, configured by <see cref="ListenerConfig.RpcProxy"/>.</summary>
    Bolt,
}
