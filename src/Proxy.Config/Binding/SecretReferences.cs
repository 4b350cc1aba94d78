using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>Resolves references to <c>[[secrets]]</c> by name (<see cref="SecretBinder.Resolve"/>).</summary>
internal sealed class SecretReferences(Dictionary<string, SecretConfig> secrets, ConfigErrorList errors)
{
    public TlsConfig Resolve(BoundItem<ListenerConfig> listener, TlsConfig tls)
    {
        var resolved = tls with { Certificates = [.. tls.Certificates.Select((c, i) => Certificate(listener, c, i))] };
        if (tls.ClientCaSecret is { } name && Trusted(name, KeyPath.Child($"listeners[{listener.Index}].tls", "client_ca" + SecretBinder.ReferenceSuffix)) is { } ca)
        {
            resolved = resolved with { ClientCa = ca };
        }

        return resolved;
    }

    public UpstreamTlsConfig Resolve(UpstreamTlsConfig tls)
    {
        var resolved = tls;
        if (tls.CaSecret is { } name && Trusted(name, KeyPath.Child(tls.KeyPath, "ca" + SecretBinder.ReferenceSuffix)) is { } ca)
        {
            resolved = resolved with { Ca = ca };
        }

        if (tls.CertificateSecret is { } certificate && Find(certificate, KeyPath.Child(tls.KeyPath, "certificate" + SecretBinder.ReferenceSuffix), wantCa: false) is { } secret)
        {
            resolved = resolved with { CertificateChain = secret.CertificateChain, PrivateKey = secret.PrivateKey };
        }

        return resolved;
    }

    private TlsCertificateConfig Certificate(BoundItem<ListenerConfig> listener, TlsCertificateConfig certificate, int index)
    {
        if (certificate.SecretName.Length == 0)
        {
            return certificate with { SecretName = $"{listener.Config.Name}.certificates[{index}]" };
        }

        return Find(certificate.SecretName, KeyPath.Child(certificate.KeyPath, SecretBinder.ReferenceKey), wantCa: false) is { } secret
            ? certificate with { CertificateChain = secret.CertificateChain, PrivateKey = secret.PrivateKey, KeyPath = secret.KeyPath }
            : certificate;
    }

    private PemSource? Trusted(string name, string path) => Find(name, path, wantCa: true)?.TrustedCa;

    private SecretConfig? Find(string name, string path, bool wantCa)
    {
        if (!secrets.TryGetValue(name, out var secret))
        {
            errors.Add(path, SourcePosition.None, $"no secret named {ConfigScalar.Quote(name)} in [[secrets]]");
            return null;
        }

        if ((secret.TrustedCa is not null) != wantCa)
        {
            errors.Add(path, SourcePosition.None, wantCa
                ? $"secret {ConfigScalar.Quote(name)} holds a certificate, not a trusted CA"
                : $"secret {ConfigScalar.Quote(name)} holds a trusted CA, not a certificate");
            return null;
        }

        return secret;
    }
}
