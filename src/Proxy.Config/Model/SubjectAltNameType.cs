namespace MeshEdge.Config.Model;

/// <summary>The kinds of subject alternative name a peer's certificate is matched on (Envoy's <c>san_type</c>).</summary>
public enum SubjectAltNameType
{
    /// <summary>A DNS name (dNSName), compared without regard to case.</summary>
    Dns,

    /// <summary>A URI (uniformResourceIdentifier), such as a SPIFFE id <c>spiffe://domain/ns/N/sa/S</c>; compared exactly.</summary>
    Uri,
}
