namespace MeshEdge.Config.Model;

/// <summary>
/// Limits that protect a cluster from a surge: past them, new work fails fast with a local error
/// and a metric instead of queueing. Each counts over all workers together. Envoy's meanings and
/// defaults.
/// </summary>
/// <param name="MaxConnections">Upstream connections open to the cluster at once.</param>
/// <param name="MaxPendingRequests">Requests waiting for an upstream connection (a connect in progress) at once.</param>
/// <param name="MaxRequests">Requests active on the cluster at once.</param>
/// <param name="MaxRetries">Retries in progress at once of requests that reached a host; a retry past it is not made.</param>
public sealed record CircuitBreakerConfig(int MaxConnections, int MaxPendingRequests, int MaxRequests, int MaxRetries)
{
    public static readonly CircuitBreakerConfig Default = new(1024, 1024, 1024, 3);
}
