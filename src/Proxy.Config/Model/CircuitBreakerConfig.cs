namespace MeshEdge.Config.Model;

/// <summary>
/// Limits that protect a cluster from a surge: past them, new work fails fast with a local error
/// and a metric instead of queueing. Envoy's defaults.
/// </summary>
/// <param name="MaxConnections">Upstream connections open to the cluster at once, over all workers.</param>
public sealed record CircuitBreakerConfig(int MaxConnections)
{
    public static readonly CircuitBreakerConfig Default = new(1024);
}
