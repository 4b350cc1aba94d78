namespace MeshEdge.Native.Upstream;

/// <summary>
/// Which hosts of a cluster pass their health checks. Written by the health checker's thread,
/// read by every worker with a plain volatile load per pick: a flag per host, no lock. Below the
/// panic threshold (half the hosts, as in Envoy) health is ignored and all hosts are used, since
/// a mass failure of checks more often means the checks are wrong than that every host is down.
/// </summary>
internal sealed class HostHealth(int hostCount)
{
    private readonly int[] _unhealthy = new int[hostCount];
    private int _unhealthyCount;

    public bool IsHealthy(int host) => Volatile.Read(ref _unhealthy[host]) == 0;

    /// <summary>True when enough hosts are healthy for health to steer traffic (not in panic).</summary>
    public bool Steers => Volatile.Read(ref _unhealthyCount) * 2 <= _unhealthy.Length;

    public void Set(int host, bool healthy)
    {
        var value = healthy ? 0 : 1;
        if (Interlocked.Exchange(ref _unhealthy[host], value) != value)
        {
            Interlocked.Add(ref _unhealthyCount, healthy ? -1 : 1);
        }
    }
}
