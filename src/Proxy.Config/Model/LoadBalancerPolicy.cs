namespace MeshEdge.Config.Model;

public enum LoadBalancerPolicy
{
    /// <summary>Smooth weighted round robin.</summary>
    RoundRobin,

    /// <summary>Power of two choices over active requests, weighted.</summary>
    LeastRequest,

    /// <summary>Weighted random.</summary>
    Random,

    /// <summary>Consistent hashing on a ring (Ketama); TCP hashes the client's IP.</summary>
    RingHash,

    /// <summary>Consistent hashing with a Maglev table; TCP hashes the client's IP.</summary>
    Maglev,
}
