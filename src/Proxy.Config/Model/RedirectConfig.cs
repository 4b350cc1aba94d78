namespace MeshEdge.Config.Model;

/// <summary>A redirect reply; each null part keeps the request's own scheme, host or path.</summary>
public sealed record RedirectConfig(int Status, string? Scheme, string? Host, string? Path);
