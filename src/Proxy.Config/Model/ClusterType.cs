namespace MeshEdge.Config.Model;

/// <summary>Where a cluster's hosts come from.</summary>
public enum ClusterType
{
    /// <summary>The IP addresses written in the config.</summary>
    Static,

    /// <summary>Host names resolved in the background every <c>dns_refresh_rate</c>; every address is a host.</summary>
    StrictDns,

    /// <summary>Hosts pushed by a discovery source (the admin API today, xDS later); the config's hosts are the first set.</summary>
    Eds,
}
