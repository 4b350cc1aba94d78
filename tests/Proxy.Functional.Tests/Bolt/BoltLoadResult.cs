namespace MeshEdge.Functional.Tests.Bolt;

/// <summary>What load-client.js reported when stopped: call counts, its first errors, and its TCP connections' history.</summary>
internal sealed record BoltLoadResult(long Ok, long Failed, long Mismatched, string[] Errors, int Connects, int Closes, int[] Ports);
