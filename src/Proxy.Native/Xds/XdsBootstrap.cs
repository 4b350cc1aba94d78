using MeshEdge.Config.Binding;
using MeshEdge.Config.Envoy;
using MeshEdge.Config.Json;
using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;
using MeshEdge.Config.Yaml;
using MeshEdge.Native.Xds.Wire;

namespace MeshEdge.Native.Xds;

/// <summary>
/// What the xDS client takes from an Envoy bootstrap: the document itself (its static part is the
/// base every pushed config is added to), where the control plane is (the static cluster ADS names:
/// an IP and port, or a Unix socket as <c>pipe.path</c>), the variant (GRPC = state of the world,
/// DELTA_GRPC = incremental), the initial fetch timeout and who this node is.
/// </summary>
internal sealed record XdsBootstrap(ConfigTable Document, string Source, XdsEndpoint ControlPlane, bool Delta, TimeSpan InitialFetchTimeout, XdsNode Node)
{
    public static readonly TimeSpan DefaultInitialFetchTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Reads the bootstrap file again as a tree; null with <paramref name="problem"/> when the ADS source cannot be used.</summary>
    public static XdsBootstrap? Load(string path, ProxyConfig config, out string? problem)
    {
        problem = null;
        var errors = new ConfigErrorList(path);
        var text = File.ReadAllText(path);
        var document = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? JsonTreeReader.Read(text, errors) : YamlTreeReader.Read(text, errors);
        if (document is null || config.Ads is not { } ads)
        {
            problem = "the bootstrap cannot be read again: " + string.Join("; ", errors.ToImmutable());
            return null;
        }

        if (ads.ApiType is not ("GRPC" or "DELTA_GRPC"))
        {
            problem = $"dynamic_resources.ads_config.api_type {ads.ApiType} is not supported (GRPC and DELTA_GRPC are)";
            return null;
        }

        var endpoint = ControlPlaneOf(document, ads.Cluster);
        if (endpoint is null)
        {
            problem = $"the ADS cluster \"{ads.Cluster}\" is not a static cluster with an IP:port or pipe address";
            return null;
        }

        var timeout = DefaultInitialFetchTimeout;
        if (XdsTree.Table(document, "dynamic_resources") is { } dynamic
            && (XdsTree.Table(dynamic, "cds_config") ?? XdsTree.Table(dynamic, "lds_config")) is { } source
            && XdsTree.Text(source, "initial_fetch_timeout") is { } text2
            && DurationParser.TryParse(text2, out var parsed, out _))
        {
            // Envoy reads 0s as "wait for ever" (Istio's bootstraps say so).
            timeout = parsed == TimeSpan.Zero ? TimeSpan.FromDays(365) : parsed;
        }

        return new XdsBootstrap(document, path, endpoint, ads.ApiType == "DELTA_GRPC", timeout, NodeOf(config.Node));
    }

    private static XdsEndpoint? ControlPlaneOf(ConfigTable document, string cluster)
    {
        var statics = XdsTree.Table(document, "static_resources");
        var table = statics is null ? null : XdsTree.Tables(statics, "clusters").FirstOrDefault(c => EnvoyNames.Safe(XdsTree.Text(c, "name") ?? "") == cluster);
        var address = table is null ? null : XdsTree.Table(table, "load_assignment") is { } assignment
            ? XdsTree.Tables(assignment, "endpoints").SelectMany(l => XdsTree.Tables(l, "lb_endpoints"))
                .Select(e => XdsTree.Table(e, "endpoint") is { } inner ? XdsTree.Table(inner, "address") : null).FirstOrDefault(a => a is not null)
            : null;
        if (address is null)
        {
            return null;
        }

        if (XdsTree.Table(address, "pipe") is { } pipe && XdsTree.Text(pipe, "path") is { } socketPath)
        {
            return new XdsEndpoint(null, 0, socketPath);
        }

        if (XdsTree.Table(address, "socket_address") is { } socket && XdsTree.Text(socket, "address") is { } host
            && int.TryParse(XdsTree.Text(socket, "port_value"), out var port))
        {
            return new XdsEndpoint(host, port, null);
        }

        return null;
    }

    /// <summary>The node as Envoy sends it: id, cluster, metadata (dotted keys nested again: LABELS.app), and who we are.</summary>
    private static XdsNode NodeOf(NodeConfig? node)
    {
        var metadata = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in node?.Metadata ?? [])
        {
            var target = metadata;
            var parts = key.Split('.');
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (!target.TryGetValue(parts[i], out var inner) || inner is not SortedDictionary<string, object> table)
                {
                    table = new SortedDictionary<string, object>(StringComparer.Ordinal);
                    target[parts[i]] = table;
                }

                target = table;
            }

            target[parts[^1]] = value;
        }

        return new XdsNode(node?.Id ?? "", node?.Cluster ?? "", metadata, typeof(XdsBootstrap).Assembly.GetName().Version?.ToString() ?? "");
    }
}
