namespace MeshEdge.Config.Model;

public enum ListenerProtocol
{
    Tcp,
    Http,

    /// <summary>SOFARPC Bolt (v1 and v2): the multiplexed RPC session, configured by <see cref="ListenerConfig.RpcProxy"/>.</summary>
    Bolt,

    /// <summary>The protocol is told from the first bytes (HTTP/1, Bolt; anything else goes to the tcp_proxy if there is one).</summary>
    Auto,

    /// <summary>The admin API; never written in a listener table, made from the <c>[admin]</c> table.</summary>
    Admin,
}
