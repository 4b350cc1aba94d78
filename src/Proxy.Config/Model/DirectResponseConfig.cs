namespace MeshEdge.Config.Model;

/// <summary>The proxy answers itself with this status and body.</summary>
public sealed record DirectResponseConfig(int Status, string Body);
