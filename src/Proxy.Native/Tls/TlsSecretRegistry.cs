using MeshEdge.Config.Model;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Every certificate the process serves, by secret name (a <c>[[secrets]]</c> entry, or the name an
/// inline certificate was given), with the listeners that serve it; what the watcher reloads and
/// /certs shows. Built on the main thread after the listeners' contexts loaded, and brought up to
/// date after each live config change (<see cref="Update"/>); the watcher and the admin thread read
/// whole lists that are replaced, never edited.
/// </summary>
internal sealed class TlsSecretRegistry
{
    private readonly object _updating = new();
    private volatile TlsSecret[] _secrets = [];

    private TlsSecretRegistry()
    {
    }

    /// <summary>In config order: the <c>[[secrets]]</c> entries, then inline certificates by listener.</summary>
    public IReadOnlyList<TlsSecret> Secrets => _secrets;

    /// <param name="contexts">Each listener's loaded TLS (null for plaintext ones), indexed like the config's listeners; each gets a slot for reloads.</param>
    public static TlsSecretRegistry Create(ProxyConfig config, TlsServerContext?[] contexts)
    {
        var registry = new TlsSecretRegistry();
        registry.Update(config, contexts);
        return registry;
    }

    /// <summary>
    /// Makes the registry say what <paramref name="config"/> serves with <paramref name="contexts"/>:
    /// a secret already known (same name and files) keeps its state (the bytes in use, the counts),
    /// so the watcher goes on reloading it into every listener that now serves it; a new one is read
    /// now, as at start. Listeners whose context is new get a slot for reloads.
    /// </summary>
    public void Update(ProxyConfig config, TlsServerContext?[] contexts)
    {
        lock (_updating)
        {
            var known = _secrets.ToDictionary(s => s.Name, StringComparer.Ordinal);
            var byName = new Dictionary<string, TlsSecret>(StringComparer.Ordinal);
            var ordered = new List<TlsSecret>();
            var users = new Dictionary<TlsSecret, List<(int, string, TlsServerContext)>>();
            var sentByControlPlane = config.Secrets.Where(s => s.FromControlPlane).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            TlsSecret Named(string name, PemSource chain, PemSource key)
            {
                if (!byName.TryGetValue(name, out var secret))
                {
                    var fromControlPlane = sentByControlPlane.Contains(name);
                    secret = !known.TryGetValue(name, out var old) ? Fresh(name, chain, key, fromControlPlane, null)
                        : old.CertificateChain == chain && old.PrivateKey == key && old.Source == TlsSecret.SourceOf(name, chain, fromControlPlane) ? old
                        : Fresh(name, chain, key, fromControlPlane, old);
                    byName[name] = secret;
                    ordered.Add(secret);
                    users[secret] = [];
                }

                return secret;
            }

            foreach (var secret in config.Secrets.Where(s => s.TrustedCa is null))
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
                    var served = users[Named(certificate.SecretName, certificate.CertificateChain, certificate.PrivateKey)];
                    if (!served.Any(u => u.Item1 == i))
                    {
                        served.Add((i, config.Listeners[i].Name, context));
                    }
                }
            }

            foreach (var (secret, list) in users)
            {
                secret.Users = list;
            }

            _secrets = [.. ordered];
        }
    }

    /// <param name="before">The secret of that name until now, whose material the config replaced (a
    /// secret from the control plane rotated, or a certificate whose files were renamed): counted and
    /// logged as a reload of it.</param>
    private static TlsSecret Fresh(string name, PemSource chain, PemSource key, bool fromControlPlane, TlsSecret? before)
    {
        var secret = new TlsSecret(name, chain, key, fromControlPlane);
        secret.Seen = (TlsSecret.StampOf(secret.CertificateChain), TlsSecret.StampOf(secret.PrivateKey));
        if (before is not null)
        {
            secret.Status = before.Status;
        }

        if (secret.ReadFiles() is { } files)
        {
            secret.Took(files, reload: before is not null);
        }

        return secret;
    }
}
