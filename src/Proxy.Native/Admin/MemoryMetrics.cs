using System.Globalization;
using MeshEdge.Native.Runtime;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>
/// The memory series of /metrics: bytes held by category (the same figures as /stats "memory"), the
/// budget when there is one, the connections open, each worker's pooled buffer bytes, and the
/// overload action's state, trips and refusals.
/// </summary>
internal sealed class MemoryMetrics(MetricFactory factory)
{
    private readonly Gauge _bytes = factory.CreateGauge("meshedge_memory_bytes",
        "Memory held by category: rss (resident set), buffers_in_use (pooled blocks held by connections), buffers_cached "
        + "(pooled blocks kept for reuse), managed_heap (after the last GC), managed_committed (committed by the GC).", "category");

    private readonly Gauge _budget = factory.CreateGauge("meshedge_memory_budget_bytes",
        "The pooled buffer budget (runtime.memory_budget, or a quarter of the cgroup memory limit); absent when there is none.",
        new GaugeConfiguration { SuppressInitialValue = true });

    private readonly Gauge _connections = factory.CreateGauge("meshedge_connections_open",
        "Connections open now, downstream and upstream, over all workers.");

    private readonly Gauge _workerBuffers = factory.CreateGauge("meshedge_worker_buffer_bytes",
        "A worker's pooled buffer blocks: in_use (held by connections) or cached (kept for reuse).", "worker", "state");

    private readonly Gauge _overloadActive = factory.CreateGauge("meshedge_overload_active",
        "1 while a worker's pooled buffers in use exceed its share of the memory budget and new requests get the overload reply.");

    private readonly Counter _overloadTrips = factory.CreateCounter("meshedge_overload_trips_total",
        "Times a worker's pooled buffers went over its share of the memory budget.");

    private readonly Counter _overloadRejected = factory.CreateCounter("meshedge_overload_rejected_total",
        "New requests (http: 503) and calls (rpc: the codec's overloaded reply) refused over the memory budget.", "protocol");

    private readonly Gauge _stageActive = factory.CreateGauge("meshedge_overload_stage_active",
        "1 while a staged overload action is in effect on any worker: stop_reading, disable_keepalive, stop_accepting, reject_requests.", "stage");

    private readonly Counter _stageTrips = factory.CreateCounter("meshedge_overload_stage_trips_total",
        "Times a worker entered a staged overload action.", "stage");

    private readonly Counter _stageActions = factory.CreateCounter("meshedge_overload_stage_actions_total",
        "What a stage acted on: connections held (stop_reading), told to close (disable_keepalive), listeners paused "
        + "(stop_accepting), requests and calls refused (reject_requests).", "stage");

    public void Export(IReadOnlyList<Worker> workers, MemoryBudget budget)
    {
        foreach (var stage in OverloadStageTotals.Collect(workers))
        {
            _stageActive.WithLabels(stage.Name).Set(stage.Active ? 1 : 0);
            _stageTrips.WithLabels(stage.Name).IncTo(stage.Trips);
            _stageActions.WithLabels(stage.Name).IncTo(stage.Actions);
        }

        var overload = OverloadTotals.Collect(workers);
        _overloadActive.Set(overload.Active ? 1 : 0);
        _overloadTrips.IncTo(overload.Trips);
        _overloadRejected.WithLabels("http").IncTo(overload.RejectedHttp);
        _overloadRejected.WithLabels("rpc").IncTo(overload.RejectedRpc);

        var usage = MemoryUsage.Collect(workers);
        if (usage.RssBytes is { } rss)
        {
            _bytes.WithLabels("rss").Set(rss);
        }

        _bytes.WithLabels("buffers_in_use").Set(usage.BuffersInUseBytes);
        _bytes.WithLabels("buffers_cached").Set(usage.BuffersCachedBytes);
        _bytes.WithLabels("buffers_released").Set(usage.BuffersReleasedBytes);
        _bytes.WithLabels("managed_heap").Set(usage.ManagedHeapBytes);
        _bytes.WithLabels("managed_committed").Set(usage.ManagedCommittedBytes);
        if (budget.Bytes is { } bytes)
        {
            _budget.Set(bytes);
        }

        _connections.Set(usage.Connections);
        foreach (var worker in workers)
        {
            var id = worker.Id.ToString(CultureInfo.InvariantCulture);
            _workerBuffers.WithLabels(id, "in_use").Set(worker.Pool.InUseBytes);
            _workerBuffers.WithLabels(id, "cached").Set(worker.Pool.CachedBytes);
        }
    }
}
