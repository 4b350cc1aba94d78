using MeshEdge.Config;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Loads the certificates of every TLS listener before anything is bound, so that a bad file is a
/// config error (file, key path, reason; exit 2) for <c>run</c> and <c>validate</c> alike.
/// </summary>
internal static class TlsListenerContexts
{
    /// <summary>
    /// One context per listener (null for plaintext ones); null with <paramref name="errors"/> filled
    /// when any fails, having released the contexts it made (a refused change leaves none behind).
    /// </summary>
    /// <param name="running">
    /// On a live config change, the listeners running now: one whose <c>tls</c> table is unchanged
    /// keeps its context (and with it the newest certificates the secret watcher reloaded into its
    /// slot), so that the watcher stays the one path that rebuilds a running listener's certificates.
    /// </param>
    public static TlsServerContext?[]? Load(ProxyConfig config, out List<ConfigError> errors, IEnumerable<Network.ListenerRuntime>? running = null)
    {
        var current = running?.Where(l => l.Tls is not null).ToDictionary(l => l.Name, l => l.Tls!, StringComparer.Ordinal);
        errors = [];
        var contexts = new TlsServerContext?[config.Listeners.Length];
        for (var i = 0; i < config.Listeners.Length; i++)
        {
            if (config.Listeners[i].Tls is not { } tls)
            {
                continue;
            }

            var answersPlainHttp = config.Listeners[i].Protocol == ListenerProtocol.Http;
            var clientCertElement = Http.ClientCertHeader.ElementDetails(config.Listeners[i].Http);
            if (current is not null && current.TryGetValue(config.Listeners[i].Name, out var kept) && TlsConfigComparer.Same(kept.Config, tls)
                && kept.AnswersPlainHttp == answersPlainHttp && kept.ClientCertElement == clientCertElement)
            {
                contexts[i] = kept;
                continue;
            }

            var listenerPath = $"listeners[{i}]";
            var problems = new List<(string Path, string Reason)>();
            try
            {
                contexts[i] = TlsServerContext.Load(tls, listenerPath, problems);
                contexts[i]?.AnswersPlainHttp = answersPlainHttp;
                contexts[i]?.ClientCertElement = clientCertElement;
            }
            catch (DllNotFoundException)
            {
                // The first libssl call loads the library (LibraryImport, resolved on first use): this
                // is the only place it can be missing, so it is a config error here, never a crash later.
                problems.Add((listenerPath + ".tls", MissingLibraryReason()));
            }

            errors.AddRange(problems.Select(p => new ConfigError(config.Source, p.Path, p.Reason)));
        }

        if (errors.Count == 0)
        {
            return contexts;
        }

        // A live change refused here: the contexts made for the listeners before the one that failed
        // were never published (those kept from running listeners stay theirs).
        ReleaseUnpublished(contexts, running);
        return null;
    }

    /// <summary>
    /// A change refused after its contexts were loaded (here, or later by the host): those it made, not
    /// kept from <paramref name="running"/>, were never published, so they go now.
    /// </summary>
    public static void ReleaseUnpublished(TlsServerContext?[] loaded, IEnumerable<Network.ListenerRuntime>? running)
    {
        var kept = new HashSet<TlsServerContext>(running?.Select(l => l.Tls).OfType<TlsServerContext>() ?? [], ReferenceEqualityComparer.Instance);
        foreach (var context in loaded.OfType<TlsServerContext>().Where(c => !kept.Contains(c)))
        {
            context.Release();
        }
    }

    // Without the exception's message: NativeAOT's lists every path dlopen tried, over several lines.
    internal static string MissingLibraryReason() => Hosting.ExecutableLinkage.IsStatic
        ? "TLS needs libssl.so.3 (OpenSSL 3), which the static binary has none of and cannot load: " +
          "use the dynamic binary or the .deb/.rpm packages for TLS"
        : "TLS needs OpenSSL 3 (libssl.so.3 and libcrypto.so.3), which could not be loaded: " +
          "install libssl3 (Debian, Ubuntu) or openssl-libs (Fedora, RHEL)";
}
