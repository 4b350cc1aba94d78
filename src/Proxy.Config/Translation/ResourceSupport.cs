namespace MeshEdge.Config.Translation;

/// <summary>Resources of one type: <paramref name="Supported"/> taken whole, <paramref name="Partly"/>
/// taken with keys left out, <paramref name="Unsupported"/> left out or refused.</summary>
public sealed record ResourceSupport(string Type, int Supported, int Partly, int Unsupported)
{
    public int Total => Supported + Partly + Unsupported;
}
