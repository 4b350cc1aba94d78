using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Backends;

/// <summary>A request as the scripted backend received it, and its position on its connection (1 = first).</summary>
internal sealed record ReceivedRequest(HttpHead Head, byte[] Body, int NumberOnConnection);
