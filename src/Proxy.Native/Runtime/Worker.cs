using System.Runtime.InteropServices;
using MeshEdge.Interop;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Network;
using MeshEdge.Native.Network.Interop;
using MeshEdge.Native.Stats;
using MeshEdge.Native.Upstream;
using static MeshEdge.Interop.LinuxConstants;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// One event-loop thread: it owns an epoll instance and everything registered in it (listeners,
/// downstream and upstream connections), a timer wheel, a block pool and its share of the stats.
/// Nothing it owns is touched by another thread, so the data path has no locks; other threads talk
/// to it only through <see cref="Post"/>.
/// </summary>
internal sealed unsafe partial class Worker : IDisposable
{
    private const int MaxEventsPerWait = 256;

    private readonly byte* _events;
    private IEpollHandler?[] _handlers = new IEpollHandler?[64];
    private uint[] _generations = new uint[64];
    private readonly Stack<int> _freeSlots = new();
    private int _nextSlot;

    private List<Connection> _pendingReads = [];
    private List<Connection> _pendingFlushes = [];
    private List<Connection> _batch = [];

    public Worker(int id, WorkerSnapshot snapshot, bool diagnosticPool)
    {
        Id = id;
        Snapshot = snapshot;
        Pool = new BlockPool(BlockPool.DefaultBlockSize, diagnosticPool);
        Overload = new BufferOverload(id, Pool);
        NowMs = Environment.TickCount64;
        Timers = new TimerWheel(NowMs, id);
        Stats = new WorkerStats(0, 0);
        Balancers = new ClusterBalancerTable(id);
        UseSnapshot(snapshot);
        Random = new FastRandom((ulong)Environment.TickCount64 * 0x9E3779B97F4A7C15UL ^ (ulong)(id + 1));
        EpollFd = Libc.EpollCreate1(EPOLL_CLOEXEC);
        if (EpollFd < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed: {Libc.Describe(Libc.Errno)}");
        }

        _events = (byte*)NativeMemory.Alloc((nuint)(MaxEventsPerWait * EpollEventLayout.Size));
        _wakeFd = Libc.EventFd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        Register(new WakeHandler(this), _wakeFd, EPOLLIN | EPOLLET);
    }

    public int Id { get; }

    /// <summary>The snapshot this worker runs on now; replaced, on this thread, by a live config change.</summary>
    public WorkerSnapshot Snapshot { get; private set; }

    public BlockPool Pool { get; }

    /// <summary>Refuses new requests while the pool's blocks in use exceed this worker's budget share.</summary>
    public BufferOverload Overload { get; }

    public TimerWheel Timers { get; }

    public WorkerStats Stats { get; }

    /// <summary>This worker's balancer for each cluster, indexed by cluster id (grown by a live config change), built on first use.</summary>
    public ClusterBalancerTable Balancers { get; }

    /// <summary>This worker's HTTP connection pool per cluster id (HTTP/1.1 or HTTP/2, as the cluster's protocol says), made when first used.</summary>
    public Http.IHttpUpstreamPool?[] HttpPools { get; private set; } = [];

    /// <summary>This worker's pending access-log lines per listener id (null for listeners without a log).</summary>
    public AccessLogs.AccessLogBuffer?[] AccessLogs { get; private set; } = [];

    /// <summary>This worker's pending RPC access-log lines per listener id (null for listeners without one).</summary>
    public AccessLogs.AccessLogBuffer?[] RpcAccessLogs { get; private set; } = [];

    /// <summary>For choices that need no reproducibility: weighted clusters, request ids.</summary>
    public FastRandom Random { get; }

    public Http.IHttpUpstreamPool HttpPool(int cluster) =>
        HttpPools[cluster] ??= AddUpstreamPool(Http.HttpUpstreamPools.Create(this, Cluster(cluster)));

    /// <summary>Every upstream pool of this worker, whatever its protocol, for draining.</summary>
    public List<IUpstreamConnectionPool> UpstreamPools { get; } = [];

    public T AddUpstreamPool<T>(T pool)
        where T : IUpstreamConnectionPool
    {
        UpstreamPools.Add(pool);
        return pool;
    }

    /// <summary>
    /// Posted by the host when <paramref name="cluster"/> lost hosts: its pools close what they can
    /// now. When it lost them all because it was retired, the worker lets go of it once unused.
    /// </summary>
    public void DrainRemovedHosts(int cluster)
    {
        foreach (var pool in UpstreamPools)
        {
            if (pool.Cluster.Index == cluster)
            {
                pool.DrainRemovedHosts();
            }
        }

        NoteIfRetired(cluster);
    }

    public int EpollFd { get; }

    /// <summary>Monotonic milliseconds, read once per event batch.</summary>
    public long NowMs { get; private set; }

    /// <summary>
    /// <see cref="System.Diagnostics.Stopwatch"/> ticks, read once per event batch: request durations
    /// are measured between the batches that saw their start and end, with no clock read per request.
    /// </summary>
    public long NowTimestamp { get; private set; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Open connections (downstream and upstream) registered in this worker.</summary>
    public int ConnectionCount { get; private set; }

    /// <summary>Adds <paramref name="fd"/> to the epoll set; returns the slot that names it.</summary>
    public int Register(IEpollHandler handler, int fd, uint events)
    {
        var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _nextSlot++;
        if (slot >= _handlers.Length)
        {
            Array.Resize(ref _handlers, _handlers.Length * 2);
            Array.Resize(ref _generations, _generations.Length * 2);
        }

        _handlers[slot] = handler;
        var evt = stackalloc byte[16];
        EpollEventLayout.Write(evt, events, EventData(slot));
        if (Libc.EpollCtl(EpollFd, EPOLL_CTL_ADD, fd, evt) < 0)
        {
            var errno = Libc.Errno;
            Release(slot);
            throw new InvalidOperationException($"epoll_ctl(ADD) failed: {Libc.Describe(errno)}");
        }

        if (handler is Connection)
        {
            ConnectionCount++;
        }

        return slot;
    }

    /// <summary>Changes the readiness bits an already registered fd is watched for.</summary>
    public void Modify(int slot, int fd, uint events)
    {
        var evt = stackalloc byte[16];
        EpollEventLayout.Write(evt, events, EventData(slot));
        Libc.EpollCtl(EpollFd, EPOLL_CTL_MOD, fd, evt);
    }

    /// <summary>
    /// Removes an fd from the epoll set, then frees its slot. Needed (rather than just closing the fd)
    /// when another process holds the same socket, as after a hot upgrade: epoll watches the socket,
    /// not the fd number, and would go on reporting it until every copy is closed.
    /// </summary>
    public void Unregister(int slot, int fd)
    {
        Libc.EpollCtl(EpollFd, EPOLL_CTL_DEL, fd, null);
        Release(slot);
    }

    /// <summary>
    /// Frees a slot. Its generation moves on, so an event already fetched for the old occupant in
    /// this batch is recognised as stale and dropped.
    /// </summary>
    public void Release(int slot)
    {
        if (_handlers[slot] is Connection)
        {
            ConnectionCount--;
        }

        _handlers[slot] = null;
        _generations[slot]++;
        _freeSlots.Push(slot);
    }

    public void ScheduleRead(Connection connection)
    {
        if (!connection.ReadQueued)
        {
            connection.ReadQueued = true;
            _pendingReads.Add(connection);
        }
    }

    public void ScheduleFlush(Connection connection)
    {
        if (!connection.FlushQueued)
        {
            connection.FlushQueued = true;
            _pendingFlushes.Add(connection);
        }
    }

    private static ulong EventDataFor(int slot, uint generation) => (uint)slot | ((ulong)generation << 32);

    private ulong EventData(int slot) => EventDataFor(slot, _generations[slot]);

    public void Dispose()
    {
        // The worker thread has ended: its last access-log lines go out from the disposing thread.
        foreach (var log in AccessLogs.Concat(RpcAccessLogs))
        {
            log?.Flush();
        }

        Libc.Close(_wakeFd);
        Libc.Close(EpollFd);
        NativeMemory.Free(_events);
        Pool.Dispose();
    }
}
