using MeshEdge.Native.Runtime;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>The idle trim's series of /metrics (runtime.idle_trim_after): the trims done, and what the last one gave back.</summary>
internal sealed class IdleTrimMetrics(MetricFactory factory)
{
    private readonly Counter _trims = factory.CreateCounter("meshedge_idle_trims_total",
        "Times the process gave memory back after a quiet spell (runtime.idle_trim_after; the first one a second after start).");

    private readonly Gauge _released = factory.CreateGauge("meshedge_idle_trim_released_bytes",
        "What the last idle trim gave back: code (the executable's resident read-only pages) or buffers (the pools' cached pages).", "kind");

    public void Export(IdleTrim? trim)
    {
        if (trim is null)
        {
            return;
        }

        _trims.IncTo(trim.Trims);
        _released.WithLabels("code").Set(trim.LastReleasedCodeBytes);
        _released.WithLabels("buffers").Set(trim.LastReleasedBufferBytes);
    }
}
