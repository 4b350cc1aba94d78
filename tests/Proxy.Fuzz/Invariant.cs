namespace MeshEdge.Fuzz;

/// <summary>Checks that the codecs promise; a broken one throws, which afl records as a crash with its input.</summary>
internal static class Invariant
{
    public static void Holds(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvariantBrokenException(what);
        }
    }

    /// <summary>A non-empty view must lie inside the input it was read from.</summary>
    public static void Inside(ReadOnlySpan<byte> input, ReadOnlySpan<byte> view, string what)
    {
        if (view.IsEmpty)
        {
            return;
        }

        Holds(input.Overlaps(view, out var offset) && offset >= 0 && offset + view.Length <= input.Length, what + " lies inside the input");
    }
}
