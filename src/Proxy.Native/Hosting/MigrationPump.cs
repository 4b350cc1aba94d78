using System.Diagnostics;
using MeshEdge.Interop;
using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// The old process's sending side of a migration, on the hand-off thread after Ready: each
/// connection a worker detached goes to the successor with its unprocessed bytes, and once the
/// successor answers our copy of the fd is closed (adopted: the successor's copy carries the
/// socket on; refused or lost: the client sees the connection end, with no request of it in flight
/// here, since a session detaches only once its requests are answered). Ends when the outbox closes.
/// </summary>
internal sealed class MigrationPump(PredecessorSession session, MigrationOutbox outbox)
{
    public void Run()
    {
        var clock = Stopwatch.StartNew();
        double? firstMs = null;
        double? lastMs = null;
        double maxAnswerMs = 0;
        int migrated = 0, failed = 0;
        long pendingBytes = 0;
        string? broken = null;
        while (outbox.TryTake(out var connection))
        {
            firstMs ??= Math.Round(clock.Elapsed.TotalMilliseconds, 1);
            var sent = clock.Elapsed;
            var refusal = broken;
            if (broken is null)
            {
                try
                {
                    refusal = session.SendConnection(connection);
                }
                catch (HandoffException ex)
                {
                    // The successor is gone: whatever is still queued cannot move either.
                    broken = refusal = ex.Message;
                }
            }

            Libc.Close(connection.Fd);
            maxAnswerMs = Math.Max(maxAnswerMs, (clock.Elapsed - sent).TotalMilliseconds);
            lastMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
            if (refusal is null)
            {
                migrated++;
                pendingBytes += connection.Pending.Length;
                continue;
            }

            failed++;
            Log.Warn("upgrade: connection migration failed, the connection closes", ("listener", connection.Listener), ("protocol", connection.Protocol), ("reason", refusal));
        }

        if (broken is null)
        {
            session.SendMigrationDone(migrated, failed);
        }

        Log.Info("upgrade: connections migrated",
            ("pid", Environment.ProcessId),
            ("successor_pid", session.SuccessorPid),
            ("migrated", migrated),
            ("failed", failed),
            ("pending_bytes", pendingBytes),
            ("first_connection_ms", firstMs),
            ("last_connection_ms", lastMs),
            ("max_answer_ms", Math.Round(maxAnswerMs, 1)));
    }
}
