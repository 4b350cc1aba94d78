using MeshEdge.Native.Hosting;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>Live configuration in /metrics: reloads by result, apply latency, the last success's time.</summary>
internal sealed class LiveConfigMetrics(MetricFactory factory)
{
    private readonly Counter _reloads = factory.CreateCounter("meshedge_config_reloads_total",
        "Live configuration changes offered (file watch, meshedge reload, POST /reload, xDS), by result: success or rejected.", "result");

    private readonly Histogram _applySeconds = factory.CreateHistogram("meshedge_config_apply_seconds",
        "Time from a validated config to every worker running on it.",
        new HistogramConfiguration { Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    private readonly Gauge _lastSuccess = factory.CreateGauge("meshedge_config_last_success_timestamp_seconds",
        "When a configuration last took effect (start-up included), Unix seconds.");

    public void Export(LiveConfigStatus status)
    {
        _reloads.WithLabels("success").IncTo(status.AcceptedTotal);
        _reloads.WithLabels("rejected").IncTo(status.RejectedTotal);
        foreach (var seconds in status.TakeApplySeconds())
        {
            _applySeconds.Observe(seconds);
        }

        _lastSuccess.Set(status.LastSuccessUnixMs / 1000.0);
    }
}
