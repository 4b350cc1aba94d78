using System.Globalization;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// What the process holds, by category, for /stats and /metrics: the workers' pooled buffer blocks
/// (rented by connections now, and cached in the pools for reuse), the connections open, the managed
/// heap, and the resident set the kernel counts for all of it. Read from the admin side without
/// locks: each figure is a moment old at worst, which is all a scrape or the overload check needs.
/// </summary>
internal readonly record struct MemoryUsage(
    long BuffersInUseBytes,
    long BuffersCachedBytes,
    int Connections,
    long ManagedHeapBytes,
    long ManagedCommittedBytes,
    long ManagedLiveBytes,
    long? RssBytes)
{
    /// <summary>Bytes of pooled blocks whose pages went back to the OS (standby); the blocks stay the pools'.</summary>
    public long BuffersReleasedBytes { get; init; }

    public static MemoryUsage Collect(IReadOnlyList<Worker> workers)
    {
        long inUse = 0, cached = 0, released = 0;
        var connections = 0;
        foreach (var worker in workers)
        {
            inUse += worker.Pool.InUseBytes;
            cached += worker.Pool.CachedBytes;
            released += worker.Pool.ReleasedBytes;
            connections += worker.ConnectionCount;
        }

        var gc = GC.GetGCMemoryInfo();
        return new MemoryUsage(inUse, cached, connections, gc.HeapSizeBytes, gc.TotalCommittedBytes,
            GC.GetTotalMemory(forceFullCollection: false), ReadRss("/proc/self/statm"))
        {
            BuffersReleasedBytes = released,
        };
    }

    /// <summary>The resident set: the second field of statm, in pages; null where /proc is not there.</summary>
    internal static long? ReadRss(string statm)
    {
        try
        {
            var fields = File.ReadAllText(statm).Split(' ', 3);
            return fields.Length >= 2 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages)
                ? pages * Environment.SystemPageSize
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
