using Google.Protobuf;
using MeshEdge.Config;
using MeshEdge.Native.Xds;
using MeshEdge.Native.Xds.Wire;

namespace MeshEdge.Native.Tests.Xds;

/// <summary>
/// An EDS change to clusters already running goes the short way: only the clusters using the changed
/// ClusterLoadAssignments are translated and handed over as hosts-only updates, never a whole config
/// of every cluster; warming clusters and refusals take the whole way.
/// </summary>
public sealed class XdsEndpointShortcutTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("meshedge-eds-").FullName;
    private readonly EndpointTarget _target = new();
    private readonly XdsCache _cache = new();
    private readonly XdsUpdateHandler _handler;

    public XdsEndpointShortcutTests()
    {
        var assembler = XdsOfflineBootstrap.Assembler(_directory);
        _handler = new XdsUpdateHandler(_cache, new XdsStatus("sotw"), assembler, _target, () => 0);
    }

    private static XdsWireResource Wire(XdsResourceType type, IMessage message) => new("", "", type.TypeUrl, message.ToByteArray());

    private string? Clusters(string version, params string[] names) =>
        _handler.Handle(XdsResourceType.Clusters, version, [.. names.Select(n => Wire(XdsResourceType.Clusters, XdsResources.EdsCluster(n)))], null, stateOfTheWorld: true);

    private string? Endpoints(string version, params (string Cluster, int Port)[] assignments) =>
        _handler.Handle(XdsResourceType.Endpoints, version, [.. assignments.Select(a => Wire(XdsResourceType.Endpoints, a.Port < 0 ? WithoutPort(a.Cluster) : XdsResources.Assignment(a.Cluster, a.Port)))], null, stateOfTheWorld: true);

    /// <summary>An assignment whose endpoint has an address and no port: the translator refuses it (a port of 0 would be the binder's error, found only in the whole config).</summary>
    private static Envoy.Config.Endpoint.V3.ClusterLoadAssignment WithoutPort(string cluster)
    {
        var assignment = XdsResources.Assignment(cluster, 1);
        assignment.Endpoints[0].LbEndpoints[0].Endpoint.Address.SocketAddress.ClearPortSpecifier();
        return assignment;
    }

    [Fact]
    public void AnEndpointChangeOfARunningClusterHandsOverThatClusterAloneWithItsNewHosts()
    {
        Assert.Null(Clusters("c1", "a", "b", "c"));
        Assert.Null(Endpoints("e1", ("a", 9001), ("b", 9002), ("c", 9003)));
        var wholeBefore = _target.Whole.Count;
        Assert.Equal(3, _target.Whole[^1].Clusters.Count(c => c.Name is "a" or "b" or "c"));

        Assert.Null(Endpoints("e2", ("b", 9102)));

        Assert.Equal(wholeBefore, _target.Whole.Count);
        var update = Assert.Single(_target.HostsOnly);
        var cluster = Assert.Single(update);
        Assert.Equal("b", cluster.Name);
        Assert.Equal(9102, Assert.Single(cluster.Hosts).Address.Port);
        Assert.Equal("e2", _cache.Of(XdsResourceType.Endpoints)["b"].Version);
    }

    [Fact]
    public void AClusterStillWaitingForItsFirstEndpointsJoinsTheWholeWay()
    {
        Assert.Null(Clusters("c1", "a"));
        Assert.Null(Endpoints("e1", ("a", 9001)));
        Assert.Null(Clusters("c2", "a", "late"));
        var wholeBefore = _target.Whole.Count;

        Assert.Null(Endpoints("e2", ("late", 9005)));

        Assert.Empty(_target.HostsOnly);
        Assert.Equal(wholeBefore + 1, _target.Whole.Count);
        Assert.Contains(_target.Whole[^1].Clusters, c => c.Name == "late" && c.Hosts.Single().Address.Port == 9005);
    }

    [Fact]
    public void WhenTheProcessRefusesTheShortWayTheWholeConfigCarriesTheChange()
    {
        Assert.Null(Clusters("c1", "a", "b"));
        Assert.Null(Endpoints("e1", ("a", 9001), ("b", 9002)));
        _target.HostsRefusal = "cluster b is not running";

        Assert.Null(Endpoints("e2", ("b", 9102)));

        Assert.Empty(_target.HostsOnly);
        Assert.Contains(_target.Whole[^1].Clusters, c => c.Name == "b" && c.Hosts.Single().Address.Port == 9102);
        Assert.Contains(_target.Whole[^1].Clusters, c => c.Name == "a" && c.Hosts.Single().Address.Port == 9001);
    }

    [Fact]
    public void AnInvalidAssignmentInABulkPushIsNackedByNameAndTheValidOnesApplied()
    {
        // Assignments of known clusters are checked inside the batch translation; one bad one must
        // still be NACKed by name, with the others applied (A46), not the whole response refused.
        Assert.Null(Clusters("c1", "a", "b", "c"));

        var nack = Endpoints("e1", ("a", 9001), ("b", -1), ("c", 9003));

        Assert.NotNull(nack);
        Assert.Contains("EDS b: ", nack);
        Assert.Contains("port_value", nack);
        Assert.DoesNotContain("the config as a whole", nack);
        Assert.Equal(["a", "c"], _cache.Of(XdsResourceType.Endpoints).Keys.Order());
        Assert.Contains(_target.Whole[^1].Clusters, c => c.Name == "a" && c.Hosts.Single().Address.Port == 9001);
        Assert.Contains(_target.Whole[^1].Clusters, c => c.Name == "c" && c.Hosts.Single().Address.Port == 9003);
        Assert.DoesNotContain(_target.Whole[^1].Clusters, c => c.Name == "b");
    }

    [Fact]
    public void AnInvalidEndpointChangeOfARunningClusterIsNackedAndItKeepsItsHostsWhileTheOthersChange()
    {
        Assert.Null(Clusters("c1", "a", "b"));
        Assert.Null(Endpoints("e1", ("a", 9001), ("b", 9002)));

        var nack = Endpoints("e2", ("a", 9101), ("b", -1));

        Assert.NotNull(nack);
        Assert.Contains("EDS b: ", nack);
        Assert.Equal("e1", _cache.Of(XdsResourceType.Endpoints)["b"].Version);
        Assert.Equal("e2", _cache.Of(XdsResourceType.Endpoints)["a"].Version);
        var applied = _target.HostsOnly.Count > 0 ? _target.HostsOnly[^1] : (IReadOnlyList<MeshEdge.Config.Model.ClusterConfig>)_target.Whole[^1].Clusters;
        Assert.Contains(applied, c => c.Name == "a" && c.Hosts.Single().Address.Port == 9101);
        Assert.DoesNotContain(applied, c => c.Name == "b" && c.Hosts.Single().Address.Port != 9002);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
