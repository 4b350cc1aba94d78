namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// Where the bytes are once a writer, the proxy and a reader that reads nothing have stalled: every
/// byte the writer's kernel took is in the kernel between writer and proxy, in the proxy, or in the
/// kernel between proxy and reader (<see cref="KernelTcpQueues"/> measures both kernel parts). What
/// is left is the proxy's own buffer, which the design bounds by buffer_limit: a session stops
/// reading once the output it feeds passes the limit (the high watermark), and it checks after each
/// read of at most one block.
/// </summary>
/// <param name="WriterCounted">Bytes the writer counts as taken by its kernel (whole chunks only, see <see cref="WriterChunk"/>).</param>
/// <param name="KernelIntoProxy">Bytes queued in the kernel from the writer to the proxy.</param>
/// <param name="KernelOutOfProxy">Bytes queued in the kernel from the proxy to the reader.</param>
internal sealed record StallAccount(long WriterCounted, long KernelIntoProxy, long KernelOutOfProxy)
{
    /// <summary>The proxy reads into blocks of this size (BlockPool.DefaultBlockSize): its output may pass the limit by one read.</summary>
    public const long ReadBlock = 16 * Sizes.KiB;

    /// <summary>The test writers count a chunk once the kernel took all of it, so up to one chunk more may be on its way.</summary>
    public const long WriterChunk = 64 * Sizes.KiB;

    /// <summary>The least the proxy holds (as if the writer's last chunk had not been started).</summary>
    public long ProxyHeldAtLeast => WriterCounted - KernelIntoProxy - KernelOutOfProxy;

    public override string ToString() =>
        $"writer counted {WriterCounted} bytes; kernel writer->proxy {KernelIntoProxy}, proxy->reader {KernelOutOfProxy}; " +
        $"so the proxy holds {ProxyHeldAtLeast} to {ProxyHeldAtLeast + WriterChunk} bytes";

    /// <summary>
    /// The proxy holds at most buffer_limit plus one read, and (it stopped reading while bytes waited
    /// for it) more than the low watermark, half the limit: the second part checks that the account
    /// found the proxy's buffer at all.
    /// </summary>
    public void AssertProxyHeldWithin(long bufferLimit, string context)
    {
        Assert.True(
            ProxyHeldAtLeast <= bufferLimit + ReadBlock,
            $"the proxy holds more than buffer_limit ({bufferLimit}) plus one read ({ReadBlock}): {this}\n{context}");
        Assert.True(
            ProxyHeldAtLeast + WriterChunk > bufferLimit / 2,
            $"the proxy stopped reading with less than the low watermark ({bufferLimit / 2}) buffered, or the account is wrong: {this}\n{context}");
    }
}
