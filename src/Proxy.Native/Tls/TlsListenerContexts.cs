using MeshEdge.Config;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Loads the certificates of every TLS listener before anything is bound, so that a bad file is a
/// config error (file, key path, reason; exit 2) for <c>run</c> and <c>validate</c> alike.
/// </summary>
internal static class TlsListenerContexts
{
    /// <summary>One context per listener (null for plaintext ones); null with <paramref name="errors"/> filled when any fails.</summary>
    public static TlsServerContext?[]? Load(ProxyConfig config, out List<ConfigError> errors)
    {
        errors = [];
        var contexts = new TlsServerContext?[config.Listeners.Length];
        for (var i = 0; i < config.Listeners.Length; i++)
        {
            if (config.Listeners[i].Tls is not { } tls)
            {
                continue;
            }

            var listenerPath = $"listeners[{i}]";
            var problems = new List<(string Path, string Reason)>();
            try
            {
                contexts[i] = TlsServerContext.Load(tls, listenerPath, problems);
            }
            catch (DllNotFoundException ex)
            {
                problems.Add((listenerPath + ".tls", $"TLS needs OpenSSL 3 (libssl.so.3, libcrypto.so.3): {ex.Message}"));
            }

            errors.AddRange(problems.Select(p => new ConfigError(config.Source, p.Path, p.Reason)));
        }

        return errors.Count == 0 ? contexts : null;
    }
}
