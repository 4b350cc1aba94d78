using MeshEdge.Native.Xds;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>The xDS part of /metrics, per resource type (CDS, EDS, LDS, RDS): updates accepted, responses
/// rejected, resources held, and whether the stream to the control plane is up. Absent without ADS.</summary>
internal sealed class XdsPrometheusMetrics(MetricFactory factory)
{
    private readonly Counter _updates = factory.CreateCounter("meshedge_xds_updates_total", "xDS responses ACKed.", "type");
    private readonly Counter _rejections = factory.CreateCounter("meshedge_xds_rejections_total", "xDS responses NACKed (whole or in part).", "type");
    private readonly Gauge _resources = factory.CreateGauge("meshedge_xds_resources", "Resources accepted from the control plane now.", "type");
    private readonly Gauge _connected = factory.CreateGauge("meshedge_xds_connected", "1 while the ADS stream to the control plane is open.", "type");
    private readonly Counter _skipped = factory.CreateCounter("meshedge_xds_optional_filters_skipped_total", "HTTP filters marked is_optional that MeshEdge does not run, skipped.");

    public void Export(XdsStatus? status)
    {
        if (status is null)
        {
            return;
        }

        foreach (var type in status.Types)
        {
            _updates.WithLabels(type.TypeName).IncTo(type.Updates);
            _rejections.WithLabels(type.TypeName).IncTo(type.Rejections);
            _resources.WithLabels(type.TypeName).Set(type.Resources);
            _connected.WithLabels(type.TypeName).Set(status.Connected ? 1 : 0);
        }

        _skipped.IncTo(status.OptionalFiltersSkipped);
    }
}
