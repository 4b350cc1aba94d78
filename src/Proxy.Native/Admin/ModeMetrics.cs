using System.Globalization;
using MeshEdge.Native.Runtime;
using Prometheus;

namespace MeshEdge.Native.Admin;

/// <summary>The mode series of /metrics: standby or not, the switches and the last one's duration, parked workers, where standby sent the local application's requests.</summary>
internal sealed class ModeMetrics(MetricFactory factory)
{
    private readonly Gauge _standby = factory.CreateGauge("meshedge_standby", "1 while the process is in standby, 0 while active.");

    private readonly Counter _switches = factory.CreateCounter("meshedge_mode_switches_total", "Switches between active and standby.");

    private readonly Gauge _switchSeconds = factory.CreateGauge("meshedge_mode_switch_seconds", "How long the last switch took, the memory given back included.");

    private readonly Gauge _parked = factory.CreateGauge("meshedge_worker_parked", "1 for a worker parked for new connections (standby).", "worker");

    private readonly Counter _requests = factory.CreateCounter("meshedge_standby_requests_total",
        "Requests and calls for the local application in standby: sent to the peers, or kept local.", "destination");

    public void Export(IReadOnlyList<Worker> workers, StandbyController? controller)
    {
        _standby.Set(controller?.Mode == Config.Model.RuntimeMode.Standby ? 1 : 0);
        _switches.IncTo(controller?.Switches ?? 0);
        _switchSeconds.Set((controller?.LastSwitchMs ?? 0) / 1000);
        long toPeers = 0, kept = 0;
        foreach (var worker in workers)
        {
            _parked.WithLabels(worker.Id.ToString(CultureInfo.InvariantCulture)).Set(worker.IsParked ? 1 : 0);
            toPeers += worker.StandbyToPeers;
            kept += worker.StandbyKeptLocal;
        }

        _requests.WithLabels("peers").IncTo(toPeers);
        _requests.WithLabels("local").IncTo(kept);
    }
}
