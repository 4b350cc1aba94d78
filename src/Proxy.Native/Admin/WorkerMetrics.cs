using System.Globalization;
using MeshEdge.Native.Runtime;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>
/// The per-worker series of /metrics: event-loop turns, the turns busy polling kept from sleeping,
/// and connections accepted per listener, labelled by worker id (0 .. workers - 1).
/// </summary>
internal sealed class WorkerMetrics(MetricFactory factory)
{
    private readonly Counter _epollWaits = factory.CreateCounter("meshedge_worker_epoll_waits_total",
        "Turns of the worker's event loop (one epoll_wait each).", "worker");
    private readonly Counter _busyPollWaits = factory.CreateCounter("meshedge_worker_busy_poll_waits_total",
        "epoll_waits that runtime.busy_poll made non-blocking (the worker polled instead of sleeping).", "worker");
    private readonly Counter _accepted = factory.CreateCounter("meshedge_worker_listener_connections_total",
        "Downstream connections accepted by the worker.", "worker", "listener");

    public void Export(WorkerSnapshot snapshot, IReadOnlyList<Worker> workers)
    {
        foreach (var worker in workers)
        {
            var id = worker.Id.ToString(CultureInfo.InvariantCulture);
            var stats = worker.Stats;
            _epollWaits.WithLabels(id).IncTo(stats.EpollWaits);
            _busyPollWaits.WithLabels(id).IncTo(stats.BusyPollWaits);
            foreach (var listener in snapshot.Listeners)
            {
                _accepted.WithLabels(id, listener.Name).IncTo(stats.Listeners[listener.Index].ConnectionsTotal);
            }
        }
    }
}
