namespace MeshEdge.Config.Model;

public enum HashPolicyKind
{
    Header,
    Cookie,
    SourceIp,
}
