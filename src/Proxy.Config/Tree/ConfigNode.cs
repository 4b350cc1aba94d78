namespace MeshEdge.Config.Tree;

/// <summary>
/// A value in the format-neutral tree that both the TOML and the JSON reader produce, so that one
/// binder gives both formats the same rules and the same error messages.
/// </summary>
internal abstract class ConfigNode(SourcePosition position)
{
    public SourcePosition Position { get; } = position;

    /// <summary>The type as named in error messages ("string", "table"...).</summary>
    public abstract string TypeName { get; }
}
