namespace MeshEdge.Fuzz;

/// <summary>One fuzz target: takes any bytes, returns normally, throws only when an invariant breaks (afl counts that as a crash).</summary>
internal delegate void FuzzTarget(ReadOnlySpan<byte> input);
