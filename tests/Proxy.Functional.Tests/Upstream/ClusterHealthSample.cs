namespace MeshEdge.Functional.Tests.Upstream;

/// <summary>
/// One reading of <see cref="ClusterHealthSampler"/>, taken between <paramref name="StartMs"/> and
/// <paramref name="AtMs"/> on the test's clock: the live backend's answered health-check probes (read
/// first), the cluster's request, retry and connect-failure counters, and whether the watched host passes
/// its checks (read last).
/// </summary>
internal sealed record ClusterHealthSample(long StartMs, long AtMs, int LiveProbes, long Requests, long Retries, long ConnectFailures, bool WatchedHealthy);
