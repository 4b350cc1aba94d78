using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>
/// When a request is tried again on another host. Only requests that can be replayed safely are
/// retried: no body, or a failure before any byte of it was sent.
/// </summary>
public sealed record RetryPolicyConfig(RetryOn On, int NumRetries, TimeSpan PerTryTimeout, ImmutableArray<int> RetriableStatusCodes)
{
    public static readonly RetryPolicyConfig None = new(RetryOn.None, 0, TimeSpan.Zero, []);
}
