using MeshEdge.Config.Model;

namespace MeshEdge.Config.Binding;

/// <summary>Binds <c>[runtime.overload]</c>: each stage's threshold, a fraction of the memory budget (0: off).</summary>
internal static class OverloadBinder
{
    public static OverloadThresholds Bind(TableReader reader)
    {
        var defaults = OverloadThresholds.Default;
        var thresholds = new OverloadThresholds(
            FractionReader.Read(reader, "stop_reading", defaults.StopReading),
            FractionReader.Read(reader, "disable_keepalive", defaults.DisableKeepAlive),
            FractionReader.Read(reader, "stop_accepting", defaults.StopAccepting),
            FractionReader.Read(reader, "reject_requests", defaults.RejectRequests));
        reader.ReportUnknownKeys();
        return thresholds;
    }
}
