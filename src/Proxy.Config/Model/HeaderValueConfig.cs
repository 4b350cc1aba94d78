namespace MeshEdge.Config.Model;

public sealed record HeaderValueConfig(string Name, string Value);
