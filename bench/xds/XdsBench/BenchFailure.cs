namespace MeshEdge.Bench.Xds;

/// <summary>The run could not measure what it set out to (a NACK, no traffic, the proxy gone): the message says what.</summary>
internal sealed class BenchFailure(string message) : Exception(message);
