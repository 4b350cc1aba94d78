using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// Runs an action once every worker has finished the event it was handling when asked: a command is
/// posted to each, and the last to run it runs the action. Whatever a worker read from a shared
/// reference before it was replaced is no longer in use by then (commands run between events), so
/// the replaced object can be freed: read-copy-update, with the command queue as the grace period.
/// A worker that has stopped never runs its command, and the action never runs: the process is ending.
/// </summary>
internal static class WorkerQuiescence
{
    public static void Then(Worker[] workers, Action action)
    {
        var remaining = workers.Length;
        if (remaining == 0)
        {
            action();
            return;
        }

        foreach (var worker in workers)
        {
            worker.Post(_ =>
            {
                if (Interlocked.Decrement(ref remaining) == 0)
                {
                    action();
                }
            });
        }
    }
}
