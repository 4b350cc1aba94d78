using MeshEdge.Config.Model;
using MeshEdge.Native.Admin;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// Which resource types a change touched, for the versions /config_dump shows per type. Listeners
/// and routes are compared by their /config_dump form (what an operator reads is what counts as a
/// change); clusters by what the compiler did with them.
/// </summary>
internal static class ConfigChanges
{
    public static List<string> Between(ProxyConfig current, ProxyConfig next, SnapshotPlan plan)
    {
        var changed = new List<string>();
        var before = current.Listeners.ToDictionary(l => l.Name);
        var listeners = plan.AddedListeners.Count > 0 || plan.RemovedListeners.Count > 0 || current.Listeners.Length != next.Listeners.Length;
        var routes = false;
        foreach (var listener in next.Listeners)
        {
            if (!before.TryGetValue(listener.Name, out var was))
            {
                listeners = true;
                routes |= listener.Http is not null || listener.RpcProxy is not null;
                continue;
            }

            listeners |= !ConfigDumpJson.ListenerSettings(was).SequenceEqual(ConfigDumpJson.ListenerSettings(listener));
            routes |= !ConfigDumpJson.ListenerRoutes(was).SequenceEqual(ConfigDumpJson.ListenerRoutes(listener));
        }

        if (listeners)
        {
            changed.Add(LiveConfigStatus.Listeners);
        }

        if (plan.ChangesClusters)
        {
            changed.Add(LiveConfigStatus.Clusters);
        }

        if (routes)
        {
            changed.Add(LiveConfigStatus.Routes);
        }

        return changed;
    }
}
