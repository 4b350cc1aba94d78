using MeshEdge.Config.Binding;
using MeshEdge.Config.Envoy;
using MeshEdge.Config.Translation;
using MeshEdge.Config.Tree;
using MeshEdge.Native.Tls;

namespace MeshEdge.Native.Xds;

/// <summary>
/// Checks one Secret the control plane sent before it may replace the last good one: it translates
/// (a certificate and key, or a trusted CA; nothing refused), binds, and its material loads in a
/// scratch OpenSSL context (the key matches the certificate, the bundle holds certificates). A
/// failure NACKs the secret by name and keeps the material in use.
/// </summary>
internal static class XdsSecretChecker
{
    /// <summary>Null when the secret may be applied, else why not.</summary>
    public static string? Check(ConfigTable tree)
    {
        var errors = new ConfigErrorList("xds");
        var context = new TranslationContext(errors, "xDS");
        var root = TargetTable.Root(context.Paths);
        EnvoySecretTranslator.Translate(new SourceTable(tree, "", context), root.Array("secrets", ""));
        if (errors.Count == 0 && XdsTree.Tables(root.Table, "secrets").FirstOrDefault() is { } translated)
        {
            var secret = SecretBinder.Bind(translated, "", errors);
            if (errors.Count == 0)
            {
                return TlsSecretCheck.Problem(secret);
            }
        }

        return string.Join("; ", errors.ToImmutable().Select(e => e.Path.Length > 0 ? $"{e.Path}: {e.Reason}" : e.Reason));
    }
}
