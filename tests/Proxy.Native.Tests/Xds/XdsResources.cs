using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf.WellKnownTypes;
using RouterFilter = Envoy.Extensions.Filters.Http.Router.V3.Router;

namespace MeshEdge.Native.Tests.Xds;

/// <summary>Envoy resources as a control plane would build them, for the xDS tests.</summary>
internal static class XdsResources
{
    public static Address Socket(string ip, int port) => new() { SocketAddress = new SocketAddress { Address = ip, PortValue = (uint)port } };

    public static Cluster StaticCluster(string name, int port) => new()
    {
        Name = name,
        Type = Cluster.Types.DiscoveryType.Static,
        ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
        LoadAssignment = Assignment(name, port),
    };

    public static Cluster EdsCluster(string name) => new()
    {
        Name = name,
        Type = Cluster.Types.DiscoveryType.Eds,
        EdsClusterConfig = new Cluster.Types.EdsClusterConfig { EdsConfig = new ConfigSource { Ads = new AggregatedConfigSource() } },
    };

    /// <summary>A cluster whose TLS context MeshEdge cannot honour (a SAN regex), so it is NACKed.</summary>
    public static Cluster TlsCluster(string name, int port)
    {
        var cluster = StaticCluster(name, port);
        // A SAN regex cannot be honoured (exact names only), and plaintext in its place would be a downgrade: refused.
        var validation = new CertificateValidationContext();
        validation.MatchTypedSubjectAltNames.Add(new SubjectAltNameMatcher
        {
            SanType = SubjectAltNameMatcher.Types.SanType.Uri,
            Matcher = new Envoy.Type.Matcher.V3.StringMatcher { SafeRegex = new Envoy.Type.Matcher.V3.RegexMatcher { Regex = "spiffe://.*" } },
        });
        var context = new UpstreamTlsContext { Sni = "example.com", CommonTlsContext = new CommonTlsContext { ValidationContext = validation } };
        cluster.TransportSocket = new TransportSocket { Name = "envoy.transport_sockets.tls", TypedConfig = Any.Pack(context) };
        return cluster;
    }

    public static ClusterLoadAssignment Assignment(string name, params int[] ports)
    {
        var assignment = new ClusterLoadAssignment { ClusterName = name };
        var locality = new LocalityLbEndpoints();
        foreach (var port in ports)
        {
            locality.LbEndpoints.Add(new LbEndpoint { Endpoint = new Endpoint { Address = Socket("127.0.0.1", port) } });
        }

        assignment.Endpoints.Add(locality);
        return assignment;
    }

    public static Listener HttpListener(string name, int port, string routeName, params HttpFilter[] before)
    {
        var manager = new HttpConnectionManager
        {
            StatPrefix = name,
            Rds = new Rds { RouteConfigName = routeName, ConfigSource = new ConfigSource { Ads = new AggregatedConfigSource() } },
        };
        manager.HttpFilters.Add(before);
        manager.HttpFilters.Add(new HttpFilter { Name = "envoy.filters.http.router", TypedConfig = Any.Pack(new RouterFilter()) });
        var listener = new Listener { Name = name, Address = Socket("127.0.0.1", port) };
        var chain = new FilterChain();
        chain.Filters.Add(new Envoy.Config.Listener.V3.Filter { Name = "envoy.filters.network.http_connection_manager", TypedConfig = Any.Pack(manager) });
        listener.FilterChains.Add(chain);
        return listener;
    }

    /// <summary>An HTTP filter of a type MeshEdge has not compiled in (kept opaque: only its type URL).</summary>
    public static HttpFilter Opaque(string name, string type, bool optional) => new()
    {
        Name = name,
        IsOptional = optional,
        TypedConfig = new Any { TypeUrl = "type.googleapis.com/" + type },
    };

    public static RouteConfiguration Routes(string name, string cluster)
    {
        var host = new VirtualHost { Name = "all" };
        host.Domains.Add("*");
        host.Routes.Add(new Route { Match = new RouteMatch { Prefix = "/" }, Route_ = new RouteAction { Cluster = cluster } });
        var routes = new RouteConfiguration { Name = name };
        routes.VirtualHosts.Add(host);
        return routes;
    }
}
