using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>
/// Binds <c>[[secrets]]</c> (named certificate and key files, Envoy's static SDS secrets) and
/// resolves listeners' <c>secret = "name"</c> references to them. A certificate given inline gets
/// the name <c>LISTENER.certificates[I]</c>, which no <c>[[secrets]]</c> name can take (brackets are
/// not allowed in names), so every loaded certificate has one name in /certs and the metrics.
/// </summary>
internal static class SecretBinder
{
    /// <summary>The key of a listener certificate that names a secret instead of giving files.</summary>
    public const string ReferenceKey = "secret";

    public static SecretConfig Bind(ConfigTable table, string path, ConfigErrorList errors)
    {
        var reader = new TableReader(table, path, errors);
        var name = reader.RequiredName("name") ?? "";
        var chain = PemKeys.Required(reader, "certificate_chain") ?? "";
        var key = PemKeys.Required(reader, "private_key") ?? "";
        reader.ReportUnknownKeys();
        return new SecretConfig(name, chain, key, path);
    }

    /// <summary>A certificate names a secret or gives its files, not both.</summary>
    public static void RejectFilesBesideReference(TableReader certificate, string? secret)
    {
        if (secret is null)
        {
            return;
        }

        foreach (var fileKey in new[] { "certificate_chain", "private_key", "certificate_chain" + PemKeys.InlineSuffix, "private_key" + PemKeys.InlineSuffix })
        {
            if (certificate.Find(fileKey) is not null)
            {
                certificate.Errors.Add(certificate.ChildPath(fileKey), certificate.Table.PositionOf(fileKey),
                    $"give either {ReferenceKey} or certificate_chain and private_key, not both");
            }
        }
    }

    /// <summary>
    /// Fills each listener certificate's files from the secret it names (its key path becomes the
    /// secret's, so file errors point there) and names the inline ones; reports unknown and duplicate names.
    /// </summary>
    public static List<BoundItem<ListenerConfig>> Resolve(List<BoundItem<ListenerConfig>> listeners, List<BoundItem<SecretConfig>> secrets, ConfigErrorList errors)
    {
        var byName = new Dictionary<string, SecretConfig>(StringComparer.Ordinal);
        foreach (var secret in secrets)
        {
            if (secret.Config.Name.Length > 0 && !byName.TryAdd(secret.Config.Name, secret.Config))
            {
                errors.Add(KeyPath.Child(secret.Config.KeyPath, "name"), secret.Table.PositionOf("name"),
                    $"{ConfigScalar.Quote(secret.Config.Name)} is already the name of {byName[secret.Config.Name].KeyPath}");
            }
        }

        return [.. listeners.Select(listener => listener.Config.Tls is { } tls
            ? listener with { Config = listener.Config with { Tls = tls with { Certificates = [.. tls.Certificates.Select((c, i) => Resolve(listener, c, i, byName, errors))] } } }
            : listener)];
    }

    private static TlsCertificateConfig Resolve(BoundItem<ListenerConfig> listener, TlsCertificateConfig certificate, int index, Dictionary<string, SecretConfig> secrets, ConfigErrorList errors)
    {
        if (certificate.SecretName.Length == 0)
        {
            return certificate with { SecretName = $"{listener.Config.Name}.certificates[{index}]" };
        }

        if (secrets.TryGetValue(certificate.SecretName, out var secret))
        {
            return certificate with { CertificateChain = secret.CertificateChain, PrivateKey = secret.PrivateKey, KeyPath = secret.KeyPath };
        }

        errors.Add(KeyPath.Child(certificate.KeyPath, ReferenceKey), SourcePosition.None,
            $"no secret named {ConfigScalar.Quote(certificate.SecretName)} in [[secrets]]");
        return certificate;
    }
}
