namespace MeshEdge.Config.Model;

/// <summary>A condition on a header or query parameter named <paramref name="Name"/>; the regex kind matches the whole value.</summary>
public sealed record ValueMatchConfig(string Name, ValueMatchKind Kind, string Value);
