using MeshEdge.Config.Envoy;
using MeshEdge.Config.Tree;

namespace MeshEdge.Native.Xds;

/// <summary>
/// What the control plane may send in a listener's filters. The file translators leave an unknown
/// filter out with a warning, which suits an operator reading `validate`; a control plane gets a
/// NACK instead, so that nothing it asked for is silently not done: a network filter must be
/// http_connection_manager or tcp_proxy, an HTTP filter the router, unless it is marked
/// <c>is_optional</c> (skipped and counted). A filter that enforces security is never skipped.
/// </summary>
internal static class XdsFilterPolicy
{
    /// <summary>The reasons the listener must be NACKed (empty when it may be applied); counts the optional filters skipped.</summary>
    public static List<string> Check(ConfigTable listener, ref long optionalSkipped)
    {
        var problems = new List<string>();
        var chains = new List<(string Path, ConfigTable Chain)>();
        if (Find(listener, "filter_chains") is ConfigArray array)
        {
            for (var i = 0; i < array.Items.Count; i++)
            {
                if (array.Items[i] is ConfigTable chain)
                {
                    chains.Add(($"filter_chains[{i}]", chain));
                }
            }
        }

        if (Find(listener, "default_filter_chain") is ConfigTable fallback)
        {
            chains.Add(("default_filter_chain", fallback));
        }

        foreach (var (path, chain) in chains)
        {
            if (Find(chain, "filters") is not ConfigArray filters)
            {
                continue;
            }

            for (var i = 0; i < filters.Items.Count; i++)
            {
                if (filters.Items[i] is not ConfigTable filter)
                {
                    continue;
                }

                var where = $"{path}.filters[{i}]";
                var (name, type, typed) = Describe(filter);
                if (type == EnvoyExtension.HttpConnectionManager && typed is not null)
                {
                    CheckHttpFilters(typed, where + ".typed_config", problems, ref optionalSkipped);
                }
                else if (type != EnvoyExtension.TcpProxy)
                {
                    problems.Add($"{where}: network filter {Label(name, type)} {Reason(name, type)}");
                }
            }
        }

        return problems;
    }

    private static void CheckHttpFilters(ConfigTable manager, string path, List<string> problems, ref long optionalSkipped)
    {
        if (Find(manager, "http_filters") is not ConfigArray filters)
        {
            return;
        }

        for (var i = 0; i < filters.Items.Count; i++)
        {
            if (filters.Items[i] is not ConfigTable filter)
            {
                continue;
            }

            var (name, type, _) = Describe(filter);
            if (type == EnvoyExtension.Router)
            {
                continue;
            }

            var optional = Find(filter, "is_optional") is ConfigScalar { Text: "true" };
            if (optional && !EnvoyExtension.IsSecurity(type, name))
            {
                optionalSkipped++;
                continue;
            }

            problems.Add($"{path}.http_filters[{i}]: HTTP filter {Label(name, type)} {Reason(name, type)}");
        }
    }

    private static string Reason(string name, string type) => EnvoyExtension.IsSecurity(type, name)
        ? "enforces security and is not supported; it is never skipped"
        : "is not supported and not marked is_optional";

    private static string Label(string name, string type) => type.Length > 0 ? $"{name} ({type})" : name;

    /// <summary>The filter's name, the proto type of its typed_config (TypedStruct unwrapped) and that config.</summary>
    private static (string Name, string Type, ConfigTable? Typed) Describe(ConfigTable filter)
    {
        var name = (Find(filter, "name") as ConfigScalar)?.Text ?? "";
        if (Find(filter, "typed_config") is not ConfigTable typed)
        {
            return (name, "", null);
        }

        var type = EnvoyExtension.TypeName((Find(typed, "@type") as ConfigScalar)?.Text ?? "");
        if (type is "udpa.type.v1.TypedStruct" or "xds.type.v3.TypedStruct")
        {
            type = EnvoyExtension.TypeName((Find(typed, "type_url") as ConfigScalar)?.Text ?? "");
        }

        return (name, type, typed);
    }

    private static ConfigNode? Find(ConfigTable table, string key) => table.TryGet(key, out var value) ? value : null;
}
