using System.Globalization;
using MeshEdge.Native.Runtime;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>
/// The memory series of /metrics: bytes held by category (the same figures as /stats "memory"), the
/// budget when there is one, the connections open, and each worker's pooled buffer bytes.
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

    public void Export(IReadOnlyList<Worker> workers, MemoryBudget budget)
    {
        var usage = MemoryUsage.Collect(workers);
        if (usage.RssBytes is { } rss)
        {
            _bytes.WithLabels("rss").Set(rss);
        }

        _bytes.WithLabels("buffers_in_use").Set(usage.BuffersInUseBytes);
        _bytes.WithLabels("buffers_cached").Set(usage.BuffersCachedBytes);
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
