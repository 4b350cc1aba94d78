using System.Net;
using System.Runtime.CompilerServices;

namespace MeshEdge.Native.Upstream;

/// <summary>
/// One upstream host of a cluster, shared by every worker and kept across host-set updates for as
/// long as its address stays (so its health, ejection history and pooled connections survive a DNS
/// refresh). Its health flags are written off the data path and read with volatile loads; its
/// counters of active requests and connections are striped per worker (one cache line each), so the
/// data path writes only its own worker's line and the admin API adds them up.
/// </summary>
internal sealed class UpstreamHost
{
    // Longs per worker: a cache line, so that workers never share a line they write.
    private const int Stride = 8;
    private const int ActiveRequestsSlot = 0;
    private const int ConnectionsSlot = 1;
    private const int CompletedSlot = 2;
    private const int SuccessesSlot = 3;

    private readonly long[] _perWorker;
    private int _failsChecks;
    private int _ejected;
    private int _removed;

    public UpstreamHost(IPEndPoint address, string? hostname, int weight, int priority, int workerCount, bool awaitingFirstCheck)
    {
        Address = address;
        Hostname = hostname;
        Weight = weight;
        Priority = priority;
        Name = address.ToString();
        _perWorker = new long[Math.Max(1, workerCount) * Stride];
        _failsChecks = awaitingFirstCheck ? 1 : 0;
    }

    public IPEndPoint Address { get; }

    /// <summary>The DNS name it was resolved from (strict_dns), else null.</summary>
    public string? Hostname { get; }

    /// <summary>"ip:port", for logs and labels.</summary>
    public string Name { get; }

    public int Weight { get; }

    public int Priority { get; }

    /// <summary>May take traffic: passes its active checks and is not ejected.</summary>
    public bool IsHealthy => Volatile.Read(ref _failsChecks) == 0 && Volatile.Read(ref _ejected) == 0;

    public bool PassesChecks => Volatile.Read(ref _failsChecks) == 0;

    public bool IsEjected => Volatile.Read(ref _ejected) != 0;

    /// <summary>Gone from the cluster's host set: pools close its idle connections and stop reusing the rest.</summary>
    public bool IsRemoved => Volatile.Read(ref _removed) != 0;

    /// <summary>State of the active health checker, touched only by its task.</summary>
    internal int CheckFailures;

    internal int CheckPasses;

    internal bool Checked;

    /// <summary>State of outlier detection (see <see cref="OutlierDetector"/>).</summary>
    internal int Consecutive5xx;

    internal int ConsecutiveGatewayFailures;

    internal int Ejections;

    internal long EjectedUntil;

    internal long WindowRequestsSeen;

    internal long WindowSuccessesSeen;

    /// <summary>Sets a flag; true when it changed (the caller republishes the cluster's routing).</summary>
    internal bool SetFailsChecks(bool fails) => Interlocked.Exchange(ref _failsChecks, fails ? 1 : 0) != (fails ? 1 : 0);

    internal bool SetEjected(bool ejected) => Interlocked.Exchange(ref _ejected, ejected ? 1 : 0) != (ejected ? 1 : 0);

    internal void MarkRemoved() => Volatile.Write(ref _removed, 1);

    /// <summary>A request (or TCP connection) starts on this host, on <paramref name="worker"/>.</summary>
    /// <remarks>Inlined, as is <see cref="RequestEnded"/>: every RPC call makes both, and as calls they cost more than the increment.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RequestStarted(int worker) => _perWorker[(worker * Stride) + ActiveRequestsSlot]++;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RequestEnded(int worker) => _perWorker[(worker * Stride) + ActiveRequestsSlot]--;

    /// <summary>A request's outcome, for success-rate outlier detection and the admin API.</summary>
    public void RecordOutcome(int worker, bool success)
    {
        _perWorker[(worker * Stride) + CompletedSlot]++;
        if (success)
        {
            _perWorker[(worker * Stride) + SuccessesSlot]++;
        }
    }

    public void ConnectionOpened(int worker) => _perWorker[(worker * Stride) + ConnectionsSlot]++;

    public void ConnectionClosed(int worker) => _perWorker[(worker * Stride) + ConnectionsSlot]--;

    /// <summary>This worker's active requests on the host (least request compares these).</summary>
    public long ActiveRequestsOn(int worker) => _perWorker[(worker * Stride) + ActiveRequestsSlot];

    public long ActiveRequests => Sum(ActiveRequestsSlot);

    public long Connections => Sum(ConnectionsSlot);

    /// <summary>Requests answered (or failed) since the process began, over all workers.</summary>
    public long CompletedTotal => Sum(CompletedSlot);

    public long SuccessesTotal => Sum(SuccessesSlot);

    public override string ToString() => Name;

    private long Sum(int slot)
    {
        long total = 0;
        for (var i = slot; i < _perWorker.Length; i += Stride)
        {
            total += Volatile.Read(ref _perWorker[i]);
        }

        return total;
    }
}
