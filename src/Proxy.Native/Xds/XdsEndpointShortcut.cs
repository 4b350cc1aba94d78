using MeshEdge.Config.Model;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Xds;

/// <summary>
/// An EDS response that only replaces endpoints of clusters already running goes the short way:
/// only the clusters that use those ClusterLoadAssignments are translated again, and the process
/// swaps their hosts in place (<see cref="ILiveEndpointTarget"/>), so one endpoint change among
/// 10,000 clusters costs one cluster, not a whole config. Anything else (a cluster still warming, a
/// retired cluster kept for its routes, a refusal) is left to the whole path, with the cache as it was.
/// </summary>
internal sealed class XdsEndpointShortcut(XdsCache cache, XdsConfigAssembler assembler, ILiveEndpointTarget target)
{
    /// <summary>ClusterLoadAssignment name to the clusters that use it; built on first use after each CDS change.</summary>
    private Dictionary<string, List<XdsResource>>? _users;

    /// <summary>The clusters changed: the index of who uses which endpoints is built again when next needed.</summary>
    public void ClustersChanged() => _users = null;

    /// <summary>
    /// Puts <paramref name="staged"/> in the cache and the clusters that use them into effect, and
    /// returns true; or changes nothing and returns false.
    /// </summary>
    public bool TryApply(IReadOnlyDictionary<string, XdsResource> staged, string version, long now)
    {
        var endpoints = cache.Of(XdsResourceType.Endpoints);
        foreach (var name in staged.Keys)
        {
            // A cluster waiting for its first endpoints is warming: it joins the config the whole way.
            if (!endpoints.ContainsKey(name) || RetiredUse(name))
            {
                return false;
            }
        }

        _users ??= Index();
        var clusters = new List<XdsResource>();
        foreach (var name in staged.Keys)
        {
            if (_users.TryGetValue(name, out var users))
            {
                clusters.AddRange(users);
            }
        }

        var displaced = staged.Keys.Select(name => (Name: name, Old: endpoints[name])).ToList();
        foreach (var (name, resource) in staged)
        {
            endpoints[name] = resource;
        }

        if (clusters.Count == 0 || Update(clusters, version, now))
        {
            foreach (var (name, resource) in staged)
            {
                cache.Await(XdsResourceType.Endpoints, name, now);
                resource.Compact();
            }

            foreach (var cluster in clusters)
            {
                cluster.Compact();
            }

            return true;
        }

        foreach (var (name, old) in displaced)
        {
            endpoints[name] = old;
        }

        return false;
    }

    private bool Update(List<XdsResource> clusters, string version, long now)
    {
        if (assembler.TranslateClusters(cache, clusters, now) is not { } translated || translated.Values.Any(c => c is null))
        {
            return false;
        }

        return target.TryUpdateHosts([.. translated.Values.OfType<ClusterConfig>()], "xds", version) is null;
    }

    private bool RetiredUse(string endpoints)
    {
        foreach (var retired in cache.Retired.Values)
        {
            if (retired.EndpointName == endpoints)
            {
                return true;
            }
        }

        return false;
    }

    private Dictionary<string, List<XdsResource>> Index()
    {
        var users = new Dictionary<string, List<XdsResource>>(StringComparer.Ordinal);
        foreach (var cluster in cache.Of(XdsResourceType.Clusters).Values)
        {
            if (cluster.EndpointName is { } name)
            {
                if (!users.TryGetValue(name, out var list))
                {
                    users[name] = list = [];
                }

                list.Add(cluster);
            }
        }

        return users;
    }
}
