using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// Where draining workers put the live connections they detached, for the hand-off thread to send
/// to the successor one by one. Workers learn from it which listeners the successor can take
/// (the others drain here). Once closed it takes nothing more: a worker that finds it closed keeps
/// its connection and drains it. The only object the workers and the hand-off thread share during a
/// migration, hence the lock.
/// </summary>
internal sealed class MigrationOutbox(IReadOnlyList<AdoptableListener> adoptable)
{
    private readonly Queue<MigratingConnection> _queue = new();
    private readonly HashSet<AdoptableListener> _adoptable = [.. adoptable];
    private bool _closed;

    /// <summary>The successor has the listener <paramref name="listener"/> with the same protocol, and the outbox is open.</summary>
    public bool Accepts(string listener, string protocol)
    {
        lock (_queue)
        {
            return !_closed && _adoptable.Contains(new AdoptableListener(listener, protocol));
        }
    }

    /// <summary>Queues a detached connection; false (the caller still owns the fd) once closed.</summary>
    public bool TryAdd(MigratingConnection connection)
    {
        lock (_queue)
        {
            if (_closed)
            {
                return false;
            }

            _queue.Enqueue(connection);
            Monitor.Pulse(_queue);
            return true;
        }
    }

    /// <summary>The next connection to send; false once closed and empty. Waits while open and empty.</summary>
    public bool TryTake(out MigratingConnection connection)
    {
        lock (_queue)
        {
            while (_queue.Count == 0 && !_closed)
            {
                Monitor.Wait(_queue);
            }

            return _queue.TryDequeue(out connection!);
        }
    }

    /// <summary>No more connections come (the workers have ended, or this process is stopping).</summary>
    public void Close()
    {
        lock (_queue)
        {
            _closed = true;
            Monitor.PulseAll(_queue);
        }
    }
}
