using MeshEdge.Config.Tree;

namespace MeshEdge.Native.Xds;

/// <summary>
/// Secrets in the assembly of the config: a cluster or listener whose TLS context names a secret the
/// control plane has not sent yet is left out (a listener without its certificate cannot accept TLS,
/// a cluster without its client certificate or trusted CA cannot be reached as configured) until it
/// arrives; past the initial fetch timeout it stays out, and the wait is logged once. The secrets
/// themselves join the config as <c>static_resources.secrets</c>, so the translator and binder
/// resolve them by name as they do a bootstrap's own. A secret that changes makes the clusters
/// naming it translate again (their kept translations hold its old material).
/// </summary>
internal sealed class XdsSecretWarming
{
    private readonly Dictionary<string, XdsResource> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    /// <summary>Whether every secret <paramref name="resource"/> names has arrived.</summary>
    public bool Arrived(XdsResource resource, XdsCache cache, long now, long timeoutMs)
    {
        var names = XdsSecretNames.Of(resource);
        if (names.Length == 0)
        {
            return true;
        }

        var secrets = cache.Of(XdsResourceType.Secrets);
        foreach (var name in names)
        {
            if (!secrets.ContainsKey(name))
            {
                if (cache.GaveUpOn(XdsResourceType.Secrets, name, now, timeoutMs) && _reported.Add(resource.Name + "\n" + name))
                {
                    Hosting.Log.Warn("xds: a secret did not arrive within the initial fetch timeout; what names it stays out until it does",
                        ("secret", name), ("resource", resource.Name));
                }

                return false;
            }
        }

        return true;
    }

    /// <summary>The secrets received, as trees for <c>static_resources.secrets</c>, after the bootstrap's own.</summary>
    public static IEnumerable<ConfigNode> Trees(ConfigTable bootstrap, XdsCache cache)
    {
        var statics = XdsTree.Table(bootstrap, "static_resources");
        var own = statics is null ? [] : XdsTree.Tables(statics, "secrets");
        return own.Concat(cache.Of(XdsResourceType.Secrets).Values.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => s.Tree));
    }

    /// <summary>The config with the secrets the control plane sent marked as such (for /certs: <c>sds:NAME</c>).</summary>
    public static Config.Model.ProxyConfig MarkServed(Config.Model.ProxyConfig config, XdsCache cache)
    {
        var served = cache.Of(XdsResourceType.Secrets);
        return served.Count == 0 || !config.Secrets.Any(s => served.ContainsKey(s.Name))
            ? config
            : config with { Secrets = [.. config.Secrets.Select(s => served.ContainsKey(s.Name) ? s with { FromControlPlane = true } : s)] };
    }

    /// <summary>Forgets the kept translation of every cluster that names a secret that changed since the last call.</summary>
    public void ForgetChanged(XdsCache cache, XdsClusterTranslations translations)
    {
        var current = cache.Of(XdsResourceType.Secrets);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, secret) in current)
        {
            if (!_seen.TryGetValue(name, out var before) || !ReferenceEquals(before, secret))
            {
                changed.Add(name);
                _seen[name] = secret;
            }
        }

        foreach (var name in _seen.Keys.Where(n => !current.ContainsKey(n)).ToList())
        {
            changed.Add(name);
            _seen.Remove(name);
        }

        if (changed.Count == 0)
        {
            return;
        }

        foreach (var cluster in cache.Of(XdsResourceType.Clusters).Values.Concat(cache.Retired.Values))
        {
            if (XdsSecretNames.Of(cluster).Any(changed.Contains))
            {
                translations.Forget(cluster.Name);
            }
        }
    }
}
