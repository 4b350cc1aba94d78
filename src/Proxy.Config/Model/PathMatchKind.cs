namespace MeshEdge.Config.Model;

public enum PathMatchKind
{
    Prefix,
    Exact,
    Regex,
}
