using MeshEdge.Native.Network;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// A live config change as one worker takes it: a new snapshot, posted through the command queue
/// and applied between events, so nothing on the data path locks. Per-worker arrays grow to the new
/// ids and never shrink or shift; sockets of unchanged listeners stay and only learn the listener's
/// new version; removed listeners stop accepting and drain their own connections.
/// </summary>
internal sealed unsafe partial class Worker
{
    /// <summary>
    /// Every cluster this worker has seen, by id, retired ones included until nothing of them is in
    /// use here (requests in flight on them still resolve); null once let go (Worker.RetiredClusters.cs).
    /// </summary>
    private ClusterRuntime?[] _clustersById = [];

    /// <summary>Each listener's current version by id; null once the listener was removed.</summary>
    private ListenerRuntime?[] _listenersById = [];

    /// <summary>The cluster with id <paramref name="id"/> (current, or retired and still in use here: callers check <see cref="HasCluster"/> where an id may be stale).</summary>
    public ClusterRuntime Cluster(int id) => _clustersById[id]!;

    /// <summary>The current version of listener <paramref name="id"/>; null when a live change removed it.</summary>
    public ListenerRuntime? Listener(int id) => (uint)id < (uint)_listenersById.Length ? _listenersById[id] : null;

    /// <summary>
    /// Switches this worker to <paramref name="next"/>: arrays grow, listener sockets take the new
    /// versions, <paramref name="added"/> sockets start accepting, removed listeners drain for up to
    /// <paramref name="drainTimeoutMs"/>. Runs on this worker's thread (posted by the host).
    /// </summary>
    public void ApplySnapshot(WorkerSnapshot next, IReadOnlyList<ListenerSocket> added, long drainTimeoutMs)
    {
        var previous = Snapshot;
        UseSnapshot(next);
        for (var i = _listeners.Count - 1; i >= 0; i--)
        {
            var socket = _listeners[i];
            if (Listener(socket.Listener.Index) is { } current)
            {
                socket.Listener = current;
            }
            else
            {
                socket.Close();
                _listeners.RemoveAt(i);
            }
        }

        foreach (var socket in added)
        {
            if (_draining)
            {
                socket.Close();
            }
            else
            {
                AddListener(socket);
            }
        }

        foreach (var listener in previous.Listeners)
        {
            if (Listener(listener.Index) is null)
            {
                DrainListener(listener.Index, drainTimeoutMs);
            }
        }
    }

    /// <summary>Makes the per-worker state match <paramref name="snapshot"/> (also the constructor's first step).</summary>
    private void UseSnapshot(WorkerSnapshot snapshot)
    {
        Stats.Grow(snapshot.ListenerSlots, snapshot.ClusterSlots);
        _clustersById = Grown(_clustersById, snapshot.ClusterSlots);
        Balancers.Grow(snapshot.ClusterSlots);
        HttpPools = Grown(HttpPools, snapshot.ClusterSlots);
        foreach (var cluster in snapshot.Clusters)
        {
            // A cluster id names one ClusterRuntime for good (a changed cluster gets a new id); its
            // balancer is built on this worker's first pick in it.
            _clustersById[cluster.Index] = cluster;
            Balancers.Know(cluster);
        }

        var live = new bool[snapshot.ListenerSlots];
        _listenersById = Grown(_listenersById, snapshot.ListenerSlots);
        AccessLogs = Grown(AccessLogs, snapshot.ListenerSlots);
        RpcAccessLogs = Grown(RpcAccessLogs, snapshot.ListenerSlots);
        foreach (var listener in snapshot.Listeners)
        {
            live[listener.Index] = true;
            _listenersById[listener.Index] = listener;
            AccessLogs[listener.Index] = BufferFor(AccessLogs[listener.Index], listener.AccessLog);
            RpcAccessLogs[listener.Index] = BufferFor(RpcAccessLogs[listener.Index], listener.RpcAccessLog);
        }

        for (var id = 0; id < _listenersById.Length; id++)
        {
            if (id >= live.Length || !live[id])
            {
                _listenersById[id] = null;
            }
        }

        Snapshot = snapshot;
    }

    /// <summary>The same buffer while the sink stays (its pending lines go on); a new one for a new sink, the old one flushed.</summary>
    private AccessLogs.AccessLogBuffer? BufferFor(AccessLogs.AccessLogBuffer? current, AccessLogs.AccessLogSink? sink)
    {
        if (current?.Sink == sink)
        {
            return current;
        }

        current?.Flush();
        return sink is null ? null : new AccessLogs.AccessLogBuffer(this, sink);
    }

    /// <summary>
    /// A live change removed listener <paramref name="id"/>: its sessions that can end gracefully are
    /// told (a request in flight completes, then the connection closes); whatever is still open when
    /// the drain timeout passes is closed.
    /// </summary>
    private void DrainListener(int id, long timeoutMs)
    {
        foreach (var connection in ListenerConnections(id))
        {
            if (connection.Handler is IDrainable drainable)
            {
                drainable.OnDrain(connection);
            }
        }

        Timers.Arm(new TimerEntry(new ListenerDrainDeadline(this, id), 0), NowMs, timeoutMs);
    }

    private List<Connection> ListenerConnections(int id)
    {
        var connections = new List<Connection>();
        foreach (var handler in _handlers)
        {
            if (handler is Connection { Handler: IListenerSession session } connection && session.Listener.Index == id && connection.State != ConnectionState.Closed)
            {
                connections.Add(connection);
            }
        }

        return connections;
    }

    private static T[] Grown<T>(T[] current, int length)
    {
        if (current.Length >= length)
        {
            return current;
        }

        var next = new T[length];
        current.CopyTo(next, 0);
        return next;
    }

    private sealed class ListenerDrainDeadline(Worker worker, int listener) : ITimerHandler
    {
        public void OnTimer(TimerEntry timer)
        {
            var open = worker.ListenerConnections(listener);
            if (open.Count > 0)
            {
                Hosting.Log.Info("removed listener's drain deadline passed, closing connections", ("worker", worker.Id), ("listener_id", listener), ("connections", open.Count));
            }

            foreach (var connection in open)
            {
                connection.Close(CloseMode.Abort);
            }
        }
    }
}
