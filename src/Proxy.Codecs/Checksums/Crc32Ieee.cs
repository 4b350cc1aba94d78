using System.Buffers;
using System.IO.Hashing;

namespace MeshEdge.Codecs.Checksums;

/// <summary>
/// CRC-32 (IEEE 802.3, the zlib/PNG one), the checksum Bolt v2 appends. The System.IO.Hashing
/// package does the work (vectorised with carry-less multiply; it is marked trimmable and
/// AOT-compatible): measured here at 0.8 GB/s on a 512-byte frame and 6 GB/s on 64 KiB, against
/// 0.4-0.5 GB/s for a slicing-by-8 table we wrote first. A contiguous frame goes through its static
/// method; a frame split across blocks needs its incremental, stateful object, so each thread keeps
/// one (a worker is a thread, so none is shared and none is allocated per frame).
/// </summary>
internal static class Crc32Ieee
{
    [ThreadStatic]
    private static Crc32? t_incremental;

    public static uint Compute(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(data);

    /// <summary>The CRC of a sequence's bytes, segment by segment when it has several.</summary>
    public static uint Compute(in ReadOnlySequence<byte> data)
    {
        if (data.IsSingleSegment)
        {
            return Crc32.HashToUInt32(data.FirstSpan);
        }

        var crc = t_incremental ??= new Crc32();
        crc.Reset();
        foreach (var segment in data)
        {
            crc.Append(segment.Span);
        }

        return crc.GetCurrentHashAsUInt32();
    }
}
