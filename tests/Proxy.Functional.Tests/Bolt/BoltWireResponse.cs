namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>A Bolt v1 response read off a raw socket: whose it is and its status (<see cref="BoltStatus"/>).</summary>
internal readonly record struct BoltWireResponse(int RequestId, int Status);
