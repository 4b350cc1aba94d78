namespace MeshEdge.Functional.Tests.Harness;

/// <summary>The proxy's RSS while one connection is stalled: its buffer, bounded by buffer_limit, and a fixed allowance.</summary>
internal static class ProxyMemory
{
    /// <summary>
    /// What the process may add besides the stalled connection's buffer: blocks come from 256 KiB slabs
    /// whose pages count once written, the block pool's free list, runtime and GC pages touched for the
    /// first time. Measured: the whole growth is about 1.05 MiB with a 1 MiB limit (TCP and HTTP alike),
    /// so the buffer and little else; a watermark raised 50x would add 49 MiB.
    /// </summary>
    public const long Allowance = 4L * Sizes.MiB;

    public static void AssertGrowthWithin(long before, long peak, long bufferLimit, string context)
    {
        var bound = bufferLimit + StallAccount.ReadBlock + Allowance;
        Assert.True(
            peak - before <= bound,
            $"the proxy's RSS grew by {peak - before} bytes while stalled (from {before} to {peak}); " +
            $"bound: buffer_limit {bufferLimit} + one read {StallAccount.ReadBlock} + allowance {Allowance}\n{context}");
    }
}
