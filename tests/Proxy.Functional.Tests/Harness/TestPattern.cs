namespace MeshEdge.Functional.Tests.Harness;

/// <summary>
/// An endless, position-dependent byte stream for the large transfers: byte N is a pure function of N,
/// so a receiver can verify hundreds of MiB without keeping a copy. The random table's length is prime,
/// so a lost, repeated or reordered chunk of any ordinary size lands on different bytes and is caught.
/// </summary>
internal static class TestPattern
{
    private const int Period = 1_048_573;

    private static readonly byte[] Table = CreateTable();

    /// <summary>Fills <paramref name="destination"/> with the stream's bytes starting at <paramref name="offset"/>.</summary>
    public static void Fill(long offset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var start = (int)(offset % Period);
            var count = Math.Min(destination.Length, Period - start);
            Table.AsSpan(start, count).CopyTo(destination);
            destination = destination[count..];
            offset += count;
        }
    }

    private static byte[] CreateTable()
    {
        var table = new byte[Period];
        new Random(20261125).NextBytes(table);
        return table;
    }
}
