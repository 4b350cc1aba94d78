using MeshEdge.Config.Tree;

namespace MeshEdge.Config.Binding;

/// <summary>A bound array entry with its index and table, so cross-checks can name
/// <c>listeners[1]</c> and point at the right line.</summary>
internal readonly record struct BoundItem<T>(int Index, T Config, ConfigTable Table);
