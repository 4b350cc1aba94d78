namespace MeshEdge.Config.Model;

public enum ClusterType
{
    Static,
}
