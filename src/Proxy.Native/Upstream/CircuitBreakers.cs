using MeshEdge.Config.Model;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// A cluster's request-level circuit breakers, over all workers (its connection breaker is
/// <see cref="ClusterRuntime.Connections"/>). Who holds a slot, and for how long:
/// <list type="bullet">
/// <item><see cref="PendingRequests"/>: a request (or TCP connection) from the moment it needs a new
/// upstream connection until that connect ends; one that takes an idle pooled connection never waits.</item>
/// <item><see cref="Requests"/>: an HTTP or RPC request from its routing to this cluster until it ends.</item>
/// <item><see cref="Retries"/>: an HTTP request from its first retry after a try that reached a host
/// until it ends (a failed connect sent nothing and moves on without a slot).</item>
/// </list>
/// With one worker the counts are that worker's alone (see <see cref="BreakerLimit"/>).
/// </summary>
internal sealed class CircuitBreakers(CircuitBreakerConfig config, int workerCount)
{
    public BreakerLimit PendingRequests { get; } = new(config.MaxPendingRequests, workerCount != 1);

    public BreakerLimit Requests { get; } = new(config.MaxRequests, workerCount != 1);

    public BreakerLimit Retries { get; } = new(config.MaxRetries, workerCount != 1);
}
