using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>Headers removed (by name, case-insensitively) and then added, in order.</summary>
public sealed record HeaderMutationConfig(ImmutableArray<string> Remove, ImmutableArray<HeaderValueConfig> Add)
{
    public static readonly HeaderMutationConfig None = new([], []);

    public bool IsEmpty => Remove.IsEmpty && Add.IsEmpty;
}
