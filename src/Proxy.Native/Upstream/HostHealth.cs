namespace MeshEdge.Native.Upstream;

/// <summary>
/// Which hosts of a cluster may take traffic: a host is out while it fails its active health checks
/// or while outlier detection has ejected it. Written by the health checker's task and by whichever
/// worker trips an ejection, read by every worker with plain volatile loads per pick, no lock.
/// Below the panic threshold (half the hosts, as in Envoy) both are ignored and all hosts are used,
/// since a mass failure more often means the checks are wrong than that every host is down.
/// </summary>
internal sealed class HostHealth(int hostCount)
{
    private readonly int[] _unhealthy = new int[hostCount];
    private readonly int[] _ejected = new int[hostCount];
    private readonly Lock _writeLock = new();
    private int _excludedCount;

    public int HostCount => _unhealthy.Length;

    public bool IsHealthy(int host) => Volatile.Read(ref _unhealthy[host]) == 0 && Volatile.Read(ref _ejected[host]) == 0;

    /// <summary>Whether active health checks pass (ejection aside), for the admin API.</summary>
    public bool PassesChecks(int host) => Volatile.Read(ref _unhealthy[host]) == 0;

    public bool IsEjected(int host) => Volatile.Read(ref _ejected[host]) != 0;

    /// <summary>True when enough hosts are usable for health to steer traffic (not in panic).</summary>
    public bool Steers => Volatile.Read(ref _excludedCount) * 2 <= _unhealthy.Length;

    public int EjectedCount
    {
        get
        {
            var count = 0;
            for (var i = 0; i < _ejected.Length; i++)
            {
                count += Volatile.Read(ref _ejected[i]);
            }

            return count;
        }
    }

    public void Set(int host, bool healthy) => Update(_unhealthy, host, healthy ? 0 : 1);

    public void SetEjected(int host, bool ejected) => Update(_ejected, host, ejected ? 1 : 0);

    // Rare (a check flips, an ejection starts or ends): a lock keeps the excluded count exact.
    private void Update(int[] flags, int host, int value)
    {
        lock (_writeLock)
        {
            var wasExcluded = !IsHealthy(host);
            Volatile.Write(ref flags[host], value);
            var isExcluded = !IsHealthy(host);
            if (wasExcluded != isExcluded)
            {
                Volatile.Write(ref _excludedCount, _excludedCount + (isExcluded ? 1 : -1));
            }
        }
    }
}
