namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// A listener of the successor that takes live connections: the running process migrates a
/// connection only when the new config still has its listener with the same protocol, and drains
/// the others itself.
/// </summary>
internal sealed record AdoptableListener(string Name, string Protocol);
