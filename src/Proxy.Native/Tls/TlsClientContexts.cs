using System.Runtime.CompilerServices;
using MeshEdge.Config;
using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Tls;

/// <summary>
/// Loads every TLS cluster's client context before anything is bound, so that a bad file is a config
/// error (file, key path, reason; exit 2) for <c>run</c> and <c>validate</c> alike, and hands each
/// <see cref="Upstream.ClusterRuntime"/> the one made for its config (made then if the config is
/// new, as after a reload).
/// </summary>
internal static class TlsClientContexts
{
    private static readonly ConditionalWeakTable<UpstreamTlsConfig, TlsClientContext> s_loaded = [];

    /// <summary>Loads the contexts of <paramref name="config"/>'s TLS clusters; problems are added to <paramref name="errors"/>.</summary>
    public static void Load(ProxyConfig config, List<ConfigError> errors)
    {
        foreach (var cluster in config.Clusters)
        {
            if (cluster.Tls is not { } tls || s_loaded.TryGetValue(tls, out _))
            {
                continue;
            }

            var problems = new List<(string Path, string Reason)>();
            if (TryCreate(tls, problems) is { } context)
            {
                s_loaded.AddOrUpdate(tls, context);
                if (!tls.Verify)
                {
                    Log.Warn("upstream TLS: verify = false, the cluster's servers are not authenticated", ("cluster", cluster.Name), ("key", tls.KeyPath + ".verify"));
                }
            }

            errors.AddRange(problems.Select(p => new ConfigError(config.Source, p.Path, p.Reason)));
        }
    }

    /// <summary>The context for <paramref name="config"/>; throws <see cref="StartupException"/> when it cannot be made.</summary>
    public static TlsClientContext For(UpstreamTlsConfig config)
    {
        if (s_loaded.TryGetValue(config, out var context))
        {
            return context;
        }

        var problems = new List<(string Path, string Reason)>();
        context = TryCreate(config, problems)
            ?? throw new StartupException(string.Join("; ", problems.Select(p => $"{p.Path}: {p.Reason}"))) { Problems = problems };
        s_loaded.AddOrUpdate(config, context);
        return context;
    }

    private static TlsClientContext? TryCreate(UpstreamTlsConfig config, List<(string Path, string Reason)> problems)
    {
        try
        {
            return TlsClientContext.Create(config, problems);
        }
        catch (DllNotFoundException)
        {
            // The first libssl call loads the library: missing, it is a config error on this key.
            problems.Add((config.KeyPath, TlsListenerContexts.MissingLibraryReason()));
            return null;
        }
    }
}
