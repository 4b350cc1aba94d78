namespace MeshEdge.Config.Model;

/// <summary>
/// One condition on a peer certificate's subject alternative names: some SAN of <paramref name="Type"/>
/// equals <paramref name="Value"/>, or starts with it when <paramref name="Prefix"/> is set.
/// </summary>
public sealed record SubjectAltNameMatch(SubjectAltNameType Type, bool Prefix, string Value);
