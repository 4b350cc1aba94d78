namespace MeshEdge.Config.Model;

public sealed record WeightedClusterConfig(string Cluster, int Weight);
