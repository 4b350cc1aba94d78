namespace MeshEdge.Config.Tree;

/// <summary>One key of a table; the key keeps its own position so "unknown key" points at the key.</summary>
internal sealed record ConfigEntry(string Key, ConfigNode Value, SourcePosition KeyPosition);
