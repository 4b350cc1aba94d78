using System.Collections.Immutable;
using System.Net;
using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>Binds one <c>[[clusters]]</c> entry.</summary>
internal static class ClusterBinder
{
    private static readonly (string Name, ClusterType Value)[] Types = [("static", ClusterType.Static)];

    private static readonly (string Name, LoadBalancerPolicy Value)[] Policies =
        [("round_robin", LoadBalancerPolicy.RoundRobin)];

    /// <summary>Binds the table; invalid parts are recorded in <paramref name="errors"/> and replaced by
    /// inert placeholders (empty name) so cross-checks do not report follow-on errors.</summary>
    public static ClusterConfig Bind(ConfigTable table, string path, ConfigErrorList errors)
    {
        var reader = new TableReader(table, path, errors);
        var name = reader.RequiredName("name") ?? "";
        var type = reader.Choice("type", ClusterType.Static, "cluster type", Types);
        var policy = reader.Choice("lb_policy", LoadBalancerPolicy.RoundRobin, "load balancer policy", Policies);
        var connectTimeout = reader.Duration("connect_timeout", ConfigDefaults.ClusterConnectTimeout, allowZero: false);
        var hosts = BindHosts(reader);
        reader.ReportUnknownKeys();
        return new ClusterConfig(name, type, policy, connectTimeout, hosts);
    }

    private static ImmutableArray<IPEndPoint> BindHosts(TableReader reader)
    {
        const string Key = "hosts";
        var path = reader.ChildPath(Key);
        if (reader.FindRequired(Key) is not { } node || !NodeConverter.TryArray(node, path, reader.Errors, out var array))
        {
            return [];
        }

        if (array.Items.Count == 0)
        {
            reader.Errors.Add(path, array.Position, "at least one host is required");
            return [];
        }

        var hosts = ImmutableArray.CreateBuilder<IPEndPoint>(array.Items.Count);
        for (var i = 0; i < array.Items.Count; i++)
        {
            // Port 0 means "any port" to bind(), which is meaningless for a host we connect to.
            if (NodeConverter.TryEndpoint(array.Items[i], KeyPath.Index(path, i), reader.Errors, minPort: 1, out var host))
            {
                hosts.Add(host);
            }
        }

        return hosts.DrainToImmutable();
    }
}
