namespace MeshEdge.Fuzz;

internal sealed class InvariantBrokenException(string what) : Exception("invariant broken: " + what);
