namespace MeshEdge.Native.Xds;

/// <summary>
/// The process's collection counts, allocated bytes and pause time at one moment, so the log can say
/// what handling one response cost the collector. Unlike its wall time, these do not depend on how
/// loaded the machine is, which makes them the figures to compare between builds (bench/xds).
/// </summary>
internal readonly record struct XdsGcReading(int Gen0, int Gen1, int Gen2, long AllocatedBytes, TimeSpan Paused)
{
    public static XdsGcReading Now() =>
        new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes(precise: false), GC.GetTotalPauseDuration());

    /// <summary>The log fields for what happened since <paramref name="start"/>.</summary>
    public static (string Key, object? Value)[] Since(XdsGcReading start)
    {
        var now = Now();
        return
        [
            ("alloc_kb", (now.AllocatedBytes - start.AllocatedBytes) / 1024),
            ("gcs", $"{now.Gen0 - start.Gen0}/{now.Gen1 - start.Gen1}/{now.Gen2 - start.Gen2}"),
            ("gc_pause_ms", Math.Round((now.Paused - start.Paused).TotalMilliseconds, 2)),
        ];
    }
}
