using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>
/// Binds a cluster's <c>hosts</c>: each "address:port" (weight 1, priority 0) or a table
/// <c>{ address = "...", weight = 3, priority = 1 }</c>. Static and eds clusters take IP literals;
/// a strict_dns cluster takes host names too, resolved later.
/// </summary>
internal static class HostBinder
{
    public const int MaxWeight = 1000;

    public const int MaxPriority = 8;

    public static ImmutableArray<HostConfig> Bind(TableReader reader, ClusterType type)
    {
        const string Key = "hosts";
        var path = reader.ChildPath(Key);
        // An eds cluster may start empty: its hosts come from discovery.
        var node = type == ClusterType.Eds ? reader.Find(Key) : reader.FindRequired(Key);
        if (node is null || !NodeConverter.TryArray(node, path, reader.Errors, out var array))
        {
            return [];
        }

        if (array.Items.Count == 0 && type != ClusterType.Eds)
        {
            reader.Errors.Add(path, array.Position, "at least one host is required");
            return [];
        }

        var hosts = ImmutableArray.CreateBuilder<HostConfig>(array.Items.Count);
        for (var i = 0; i < array.Items.Count; i++)
        {
            if (BindHost(array.Items[i], KeyPath.Index(path, i), reader.Errors, type) is { } host)
            {
                hosts.Add(host);
            }
        }

        return hosts.DrainToImmutable();
    }

    private static HostConfig? BindHost(ConfigNode node, string path, ConfigErrorList errors, ClusterType type)
    {
        if (node is not ConfigTable table)
        {
            return BindAddress(node, path, errors, type) is { } bare ? bare : null;
        }

        var reader = new TableReader(table, path, errors);
        var address = reader.FindRequired("address") is { } addressNode ? BindAddress(addressNode, reader.ChildPath("address"), errors, type) : null;
        var weight = reader.Int("weight", 1, 1, MaxWeight);
        var priority = reader.Int("priority", 0, 0, MaxPriority);
        reader.ReportUnknownKeys();
        return address is null ? null : address with { Weight = weight, Priority = priority };
    }

    /// <summary>An IP endpoint, or for strict_dns also "name:port".</summary>
    private static HostConfig? BindAddress(ConfigNode node, string path, ConfigErrorList errors, ClusterType type)
    {
        if (type == ClusterType.StrictDns && node is ConfigScalar scalar && TryHostname(scalar.Text, out var name, out var port))
        {
            if (port < 1 || port > IPEndPoint.MaxPort)
            {
                errors.Add(path, node.Position, $"port {port} is out of range (1..{IPEndPoint.MaxPort})");
                return null;
            }

            return new HostConfig(new IPEndPoint(IPAddress.Any, port), 1) { Hostname = name };
        }

        // Port 0 means "any port" to bind(), which is meaningless for a host we connect to.
        return NodeConverter.TryEndpoint(node, path, errors, minPort: 1, out var endpoint) ? new HostConfig(endpoint, 1) : null;
    }

    /// <summary>"name:port" where the name is a DNS name (letters, digits, '-', '.', not all digits and dots).</summary>
    private static bool TryHostname(string text, out string name, out int port)
    {
        name = "";
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon != text.IndexOf(':'))
        {
            return false;
        }

        var host = text[..colon];
        if (host.Length > 253 || IPAddress.TryParse(host, out _)
            || !host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_') || host.All(c => char.IsAsciiDigit(c) || c == '.')
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port))
        {
            return false;
        }

        name = host;
        return true;
    }
}
