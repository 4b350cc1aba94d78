using System.Collections.Immutable;
using MeshEdge.Config.Model;
using MeshEdge.Config.Tree;
using MeshEdge.Config.Values;

namespace MeshEdge.Config.Binding;

/// <summary>
/// Binds a tcp_proxy's <c>[[listeners.tcp_proxy.sni_routes]]</c> (server_names and a cluster each)
/// and the inspection's bounds. A server name is a DNS host name or "*." and one (as Envoy's
/// filter chain match); a name may appear in one route only, so that no order decides.
/// </summary>
internal static class SniRouteBinder
{
    public const string Key = "sni_routes";

    /// <summary>Envoy's tls_inspector takes at most 64 KiB; a real hello is under 2 KiB.</summary>
    public const int MaxClientHelloLimit = 64 * 1024;

    public const int MinClientHelloLimit = 1024;

    private const int MaxHostNameLength = 253;

    public static ImmutableArray<SniRouteConfig> BindRoutes(TableReader tcpProxy)
    {
        var routes = ImmutableArray.CreateBuilder<SniRouteConfig>();
        var owners = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var route in tcpProxy.TableArray(Key))
        {
            var names = BindServerNames(route, routes.Count, owners);
            var cluster = route.RequiredName("cluster") ?? "";
            route.ReportUnknownKeys();
            routes.Add(new SniRouteConfig(names, cluster));
        }

        if (tcpProxy.Table.TryGet(Key, out var node) && node is ConfigArray { Items.Count: 0 })
        {
            tcpProxy.Errors.Add(tcpProxy.ChildPath(Key), tcpProxy.Table.PositionOf(Key), "at least one route is required (or leave sni_routes out)");
        }

        return routes.ToImmutable();
    }

    /// <summary>inspect_timeout and max_client_hello_size: only where there is a ClientHello to read.</summary>
    public static TcpProxyConfig BindInspection(TableReader tcpProxy, TcpProxyConfig config)
    {
        var timeout = tcpProxy.Duration("inspect_timeout", TcpProxyConfig.DefaultInspectTimeout, allowZero: false);
        var maxHello = tcpProxy.ByteSize("max_client_hello_size", TcpProxyConfig.DefaultMaxClientHelloBytes, MinClientHelloLimit, MaxClientHelloLimit);
        if (config.SniRoutes.IsEmpty)
        {
            foreach (var key in (ReadOnlySpan<string>)["inspect_timeout", "max_client_hello_size"])
            {
                if (tcpProxy.Table.TryGet(key, out _))
                {
                    tcpProxy.Errors.Add(tcpProxy.ChildPath(key), tcpProxy.Table.PositionOf(key), "only a tcp_proxy with sni_routes reads the ClientHello");
                }
            }
        }

        return config with { InspectTimeout = timeout, MaxClientHelloBytes = maxHello };
    }

    private static ImmutableArray<string> BindServerNames(TableReader route, int routeIndex, Dictionary<string, int> owners)
    {
        const string NamesKey = "server_names";
        var path = route.ChildPath(NamesKey);
        var position = route.Table.PositionOf(NamesKey);
        if (route.FindRequired(NamesKey) is null)
        {
            return [];
        }

        var names = route.StringArray(NamesKey) ?? [];
        if (names.Count == 0 && !route.Errors.HasErrorsUnder(path))
        {
            route.Errors.Add(path, position, "at least one server name is required");
        }

        var bound = ImmutableArray.CreateBuilder<string>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i].ToLowerInvariant();
            if (!IsServerNamePattern(name))
            {
                route.Errors.Add(KeyPath.Index(path, i), position,
                    $"{ConfigScalar.Quote(names[i])} is not a server name (a host name like \"a.example.com\", or \"*.example.com\" for any name under it)");
                continue;
            }

            if (owners.TryGetValue(name, out var owner))
            {
                route.Errors.Add(KeyPath.Index(path, i), position,
                    owner == routeIndex ? $"{ConfigScalar.Quote(name)} is listed twice" : $"{ConfigScalar.Quote(name)} is already routed by sni_routes[{owner}]");
                continue;
            }

            owners[name] = routeIndex;
            bound.Add(name);
        }

        return bound.ToImmutable();
    }

    /// <summary>A host name (LDH labels of 1 to 63 characters, no leading or trailing hyphen), optionally behind "*.".</summary>
    internal static bool IsServerNamePattern(string name)
    {
        var host = name.StartsWith("*.", StringComparison.Ordinal) ? name[2..] : name;
        if (host.Length is 0 or > MaxHostNameLength)
        {
            return false;
        }

        foreach (var label in host.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
