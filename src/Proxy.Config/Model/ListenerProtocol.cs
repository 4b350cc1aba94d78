namespace MeshEdge.Config.Model;

public enum ListenerProtocol
{
    Tcp,
    Http,

    /// <summary>SOFARPC Bolt (v1 and v2): the multiplexed RPC session, configured by <see cref="ListenerConfig.RpcProxy"/>.</summary>
    Bolt,

    /// <summary>The admin API; never written in a listener table, made from the <c>[admin]</c> table.</summary>
    Admin,
}
