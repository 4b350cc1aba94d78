using System.Collections.Immutable;

namespace MeshEdge.Config.Model;

/// <summary>One certificate of a TLS listener: a PEM chain (leaf first) and its PEM private key.</summary>
/// <param name="ServerNames">The SNI names it serves (exact, or <c>*.suffix</c> for one more label); empty for a
/// certificate that is only the default.</param>
/// <param name="KeyPath">Where it sits in the config (<c>listeners[0].tls.certificates[1]</c>), so that a file
/// that fails to load later is reported like any other config error.</param>
public sealed record TlsCertificateConfig(PemSource CertificateChain, PemSource PrivateKey, ImmutableArray<string> ServerNames, string KeyPath)
{
    /// <summary>
    /// The name the certificate is loaded, reloaded and shown by (/certs, metrics): the
    /// <c>[[secrets]]</c> entry it refers to with <c>secret</c>, else <c>LISTENER.certificates[I]</c>.
    /// </summary>
    public string SecretName { get; init; } = "";
}
