namespace MeshEdge.Config.Tree;

/// <summary>A 1-based line and column in the source text; <see cref="None"/> when the format has none
/// (the JSON provider flattens values and forgets where they were).</summary>
internal readonly record struct SourcePosition(int Line, int Column)
{
    public static readonly SourcePosition None = default;

    public bool IsKnown => Line > 0;
}
