using System.Collections.Immutable;
using MeshEdge.Native.Network;
using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Runtime;

/// <summary>
/// The configuration compiled into what workers use: listeners and clusters addressed by index.
/// Immutable; a new config means a new snapshot published by reference.
/// </summary>
internal sealed record WorkerSnapshot(ImmutableArray<ListenerRuntime> Listeners, ImmutableArray<ClusterRuntime> Clusters);
