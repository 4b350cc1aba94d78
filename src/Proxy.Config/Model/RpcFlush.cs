namespace MeshEdge.Config.Model;

/// <summary>When an RPC listener writes the frames one read produced (<c>rpc_proxy.flush</c>).</summary>
public enum RpcFlush
{
    /// <summary>
    /// As soon as the read that produced them is handled: the peer starts on them while the worker
    /// goes on with the turn's other reads; still one write per connection per read.
    /// </summary>
    Read,

    /// <summary>At the end of the worker's turn, after every ready connection was read: fewer writes, later.</summary>
    Turn,
}
