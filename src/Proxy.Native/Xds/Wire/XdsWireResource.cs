namespace MeshEdge.Native.Xds.Wire;

/// <summary>One resource of a response: its name and version (delta; empty in SotW), its type URL and its
/// message's bytes. An empty type URL in a delta response means the name came without a body (ignored).</summary>
internal sealed record XdsWireResource(string Name, string Version, string TypeUrl, ReadOnlyMemory<byte> Body);
