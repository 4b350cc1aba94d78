namespace MeshEdge.Config.Model;

/// <summary>
/// Which of a host's <c>connections_per_host</c> upstream connections an RPC call takes
/// (<c>rpc_proxy.connection_affinity</c>).
/// </summary>
public enum RpcConnectionAffinity
{
    /// <summary>
    /// Every call of one client connection takes the same one: client connections are spread over
    /// the host's connections, as a relay gives each its own, and one client's calls stay in order.
    /// </summary>
    Client,

    /// <summary>Each call takes the next one in turn: one client's calls are spread over all of them.</summary>
    None,
}
