using MeshEdge.Config.Model;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Every certificate the process loaded, by secret name (a <c>[[secrets]]</c> entry, or the name an
/// inline certificate was given), with the listeners that serve it; what the watcher reloads and
/// /certs shows. Built once on the main thread, after the listeners' contexts loaded.
/// </summary>
internal sealed class TlsSecretRegistry
{
    private TlsSecretRegistry(IReadOnlyList<TlsSecret> secrets) => Secrets = secrets;

    /// <summary>In config order: the <c>[[secrets]]</c> entries, then inline certificates by listener.</summary>
    public IReadOnlyList<TlsSecret> Secrets { get; }

    /// <param name="contexts">Each listener's loaded TLS (null for plaintext ones), indexed like the config's listeners; each gets a slot for reloads.</param>
    public static TlsSecretRegistry Create(ProxyConfig config, TlsServerContext?[] contexts)
    {
        var byName = new Dictionary<string, TlsSecret>(StringComparer.Ordinal);
        var ordered = new List<TlsSecret>();
        TlsSecret Named(string name, string chain, string key)
        {
            if (!byName.TryGetValue(name, out var secret))
            {
                byName[name] = secret = new TlsSecret(name, chain, key);
                ordered.Add(secret);
            }

            return secret;
        }

        foreach (var secret in config.Secrets)
        {
            Named(secret.Name, secret.CertificateChain, secret.PrivateKey);
        }

        for (var i = 0; i < config.Listeners.Length; i++)
        {
            if (config.Listeners[i].Tls is not { } tls || i >= contexts.Length || contexts[i] is not { } context)
            {
                continue;
            }

            _ = context.Slot ?? new TlsContextSlot(context);
            foreach (var certificate in tls.Certificates)
            {
                var secret = Named(certificate.SecretName, certificate.CertificateChain, certificate.PrivateKey);
                if (!secret.Users.Any(u => u.Listener == i))
                {
                    secret.Users.Add((i, config.Listeners[i].Name, context));
                }
            }
        }

        foreach (var secret in ordered)
        {
            secret.Seen = (FileStamp.Of(secret.CertificateChain), FileStamp.Of(secret.PrivateKey));
            if (secret.ReadFiles() is { } files)
            {
                secret.Took(files, reload: false);
            }
        }

        return new TlsSecretRegistry(ordered);
    }
}
