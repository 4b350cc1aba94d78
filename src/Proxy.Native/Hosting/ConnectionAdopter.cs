using System.Diagnostics;
using MeshEdge.Interop;
using MeshEdge.Native.Network;
using MeshEdge.Native.Runtime;
using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// The successor's receiving side of a migration, on a thread of its own ("meshedge-adopt"): each
/// live connection the old process sends is posted to one of our workers (round robin), which
/// serves it as if just accepted with the old process's unprocessed bytes already read; then the
/// old process is told it may close its copy. Ends at MigrationDone, or when the old process goes.
/// </summary>
internal sealed class ConnectionAdopter
{
    private readonly Takeover _takeover;
    private readonly WorkerSnapshot _snapshot;
    private readonly Worker[] _workers;
    private readonly Thread _thread;
    private int _nextWorker;

    public ConnectionAdopter(Takeover takeover, WorkerSnapshot snapshot, Worker[] workers)
    {
        _takeover = takeover;
        _snapshot = snapshot;
        _workers = workers;
        _thread = new Thread(Run) { Name = "meshedge-adopt", IsBackground = true };
    }

    /// <summary>Set when the migration has ended, however it ended.</summary>
    public ManualResetEventSlim Finished { get; } = new();

    /// <summary>The listeners of this process that take live connections, for the Ready message.</summary>
    public static List<AdoptableListener> AdoptableListeners(WorkerSnapshot snapshot) =>
        [.. snapshot.Listeners
            .Where(listener => listener.SessionFactory is IMigratableSessionFactory)
            .Select(listener => new AdoptableListener(listener.Name, ((IMigratableSessionFactory)listener.SessionFactory).Protocol))];

    public void Start() => _thread.Start();

    private void Run()
    {
        var clock = Stopwatch.StartNew();
        int adopted = 0, refused = 0;
        long pendingBytes = 0;
        double? lastMs = null;
        var session = _takeover.Session;
        try
        {
            while (session.ReceiveConnection() is { } connection)
            {
                var refusal = Adopt(connection);
                lastMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
                if (refusal is null)
                {
                    adopted++;
                    pendingBytes += connection.Pending.Length;
                    session.SendAdopted();
                }
                else
                {
                    refused++;
                    Log.Warn("upgrade: refused a migrated connection", ("listener", connection.Listener), ("reason", refusal));
                    session.SendRefused(refusal);
                }
            }

            Log.Info("upgrade: connections adopted",
                ("pid", Environment.ProcessId),
                ("predecessor_pid", _takeover.Offer.PredecessorPid),
                ("adopted", adopted),
                ("refused", refused),
                ("pending_bytes", pendingBytes),
                ("predecessor_failed", session.MigrationResult.Failed),
                ("last_connection_ms", lastMs),
                ("migration_ms", Math.Round(clock.Elapsed.TotalMilliseconds, 1)));
        }
        catch (HandoffException ex)
        {
            Log.Warn("upgrade: the migration from the old process ended early", ("reason", ex.Message), ("adopted", adopted), ("refused", refused));
        }
        finally
        {
            _takeover.Dispose();
            Finished.Set();
        }
    }

    /// <summary>Null when a worker now owns the connection; otherwise why not (the fd is closed).</summary>
    private string? Adopt(MigratingConnection connection)
    {
        var listener = _snapshot.Listeners.FirstOrDefault(l => l.Name == connection.Listener);
        if (listener?.SessionFactory is not IMigratableSessionFactory factory || factory.Protocol != connection.Protocol)
        {
            Libc.Close(connection.Fd);
            return $"no {connection.Protocol} listener named {connection.Listener} here";
        }

        var worker = _workers[_nextWorker++ % _workers.Length];
        worker.Post(w => factory.Adopt(w, listener, connection.Fd, connection.Pending));
        return null;
    }
}
