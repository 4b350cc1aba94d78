namespace MeshEdge.Config.Model;

public enum ValueMatchKind
{
    Exact,
    Prefix,
    Regex,
    Present,
    Absent,
}
