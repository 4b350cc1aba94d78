namespace MeshEdge.Codecs.Tests.TestSupport;

/// <summary>CRC-32/IEEE the slow, obvious way (bit by bit, no tables): an oracle independent of the codec's.</summary>
internal static class BitwiseCrc32
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
