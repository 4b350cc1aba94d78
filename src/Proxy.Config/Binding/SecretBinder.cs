using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>
/// Binds <c>[[secrets]]</c> (named certificates and keys, or trusted CA bundles: Envoy's static and
/// SDS secrets) and resolves the references to them: a listener certificate's <c>secret</c>, a
/// listener's <c>client_ca_secret</c>, a cluster's <c>certificate_secret</c> and <c>ca_secret</c>. A
/// certificate given inline gets the name <c>LISTENER.certificates[I]</c>, which no <c>[[secrets]]</c>
/// name can take (brackets are not allowed in names), so every loaded certificate has one name in
/// /certs and the metrics.
/// </summary>
internal static class SecretBinder
{
    /// <summary>The key of a listener certificate that names a secret instead of giving files.</summary>
    public const string ReferenceKey = "secret";

    /// <summary>What a key that names a secret ends with (<c>client_ca_secret</c>, <c>ca_secret</c>, <c>certificate_secret</c>).</summary>
    public const string ReferenceSuffix = "_secret";

    public static SecretConfig Bind(ConfigTable table, string path, ConfigErrorList errors)
    {
        var reader = new TableReader(table, path, errors);
        var name = reader.RequiredName("name") ?? "";
        if (PemKeys.Has(reader, "trusted_ca"))
        {
            var trusted = PemKeys.Optional(reader, "trusted_ca");
            foreach (var key in new[] { "certificate_chain", "private_key" })
            {
                if (PemKeys.Has(reader, key))
                {
                    var set = PemKeys.SetKey(reader, key);
                    reader.Find(set);
                    reader.Errors.Add(reader.ChildPath(set), reader.Table.PositionOf(set), "a secret holds a certificate and its key or a trusted CA, not both");
                }
            }

            reader.ReportUnknownKeys();
            return new SecretConfig(name, PemSource.Unset, PemSource.Unset, path) { TrustedCa = trusted };
        }

        var chain = PemKeys.Required(reader, "certificate_chain") ?? PemSource.Unset;
        var privateKey = PemKeys.Required(reader, "private_key") ?? PemSource.Unset;
        reader.ReportUnknownKeys();
        return new SecretConfig(name, chain, privateKey, path);
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

    /// <summary><paramref name="key"/>_secret, the name of a validation secret given instead of <paramref name="key"/> (a file or PEM); not both.</summary>
    public static string? OptionalReference(TableReader reader, string key)
    {
        var secret = reader.OptionalString(key + ReferenceSuffix);
        if (secret is not null && PemKeys.Has(reader, key))
        {
            var set = PemKeys.SetKey(reader, key);
            reader.Errors.Add(reader.ChildPath(set), reader.Table.PositionOf(set), $"give either {key} or {key}{ReferenceSuffix}, not both");
        }

        return secret;
    }

    /// <summary>
    /// Fills what names a secret with the secret's material (a listener certificate's key path becomes
    /// the secret's, so file errors point there) and names the inline certificates; reports unknown
    /// and duplicate names, and a secret of the wrong kind (a CA where a certificate is wanted).
    /// </summary>
    public static (List<BoundItem<ListenerConfig>> Listeners, List<BoundItem<ClusterConfig>> Clusters) Resolve(
        List<BoundItem<ListenerConfig>> listeners, List<BoundItem<ClusterConfig>> clusters, List<BoundItem<SecretConfig>> secrets, ConfigErrorList errors)
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

        var resolver = new SecretReferences(byName, errors);
        return ([.. listeners.Select(listener => listener.Config.Tls is { } tls ? listener with { Config = listener.Config with { Tls = resolver.Resolve(listener, tls) } } : listener)],
            [.. clusters.Select(cluster => cluster.Config.Tls is { } tls ? cluster with { Config = cluster.Config with { Tls = resolver.Resolve(tls) } } : cluster)]);
    }
}
