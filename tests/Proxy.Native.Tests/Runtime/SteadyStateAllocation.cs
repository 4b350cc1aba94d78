namespace MeshEdge.Native.Tests.Runtime;

/// <summary>
/// What a worker's thread allocated over several windows of identical rounds after a warm-up. A cost per
/// request shows in every window; a one-off growth (a new slab for the block pool, a list doubling at a
/// new peak of requests in flight, the first maintenance tick) lands in one of them, at a moment the
/// machine's load decides: 8,224 bytes once in a CI run of an otherwise clean RPC session. So the
/// allocation tests judge the cleanest window, <see cref="Least"/>, and print them all.
/// </summary>
internal sealed class SteadyStateAllocation
{
    public const int Windows = 3;

    private SteadyStateAllocation(long[] bytes) => WindowBytes = bytes;

    /// <summary>Bytes allocated in each window, in order.</summary>
    public IReadOnlyList<long> WindowBytes { get; }

    /// <summary>The fewest bytes any window allocated: the steady state's cost, free of one-off growth.</summary>
    public long Least => WindowBytes.Min();

    /// <summary>
    /// Runs <paramref name="warmUpRounds"/> rounds, then <see cref="Windows"/> windows of
    /// <paramref name="roundsPerWindow"/> rounds, reading <paramref name="allocatedBytes"/> (the worker
    /// thread's running total) around each window.
    /// </summary>
    public static SteadyStateAllocation Measure(Func<long> allocatedBytes, int warmUpRounds, int roundsPerWindow, Action round)
    {
        for (var i = 0; i < warmUpRounds; i++)
        {
            round();
        }

        var bytes = new long[Windows];
        for (var window = 0; window < Windows; window++)
        {
            var before = allocatedBytes();
            for (var i = 0; i < roundsPerWindow; i++)
            {
                round();
            }

            bytes[window] = allocatedBytes() - before;
        }

        return new SteadyStateAllocation(bytes);
    }

    /// <summary>Rounds run in all: the warm-up and every window.</summary>
    public static int TotalRounds(int warmUpRounds, int roundsPerWindow) => warmUpRounds + Windows * roundsPerWindow;

    public override string ToString() => $"{string.Join(", ", WindowBytes)} bytes in its {Windows} windows";
}
