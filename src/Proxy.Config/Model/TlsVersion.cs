namespace MeshEdge.Config.Model;

/// <summary>The TLS versions a listener may allow; older ones are not offered at all.</summary>
public enum TlsVersion
{
    Tls12,
    Tls13,
}
