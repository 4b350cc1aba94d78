using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using MeshEdge.Config;
using MeshEdge.Native.Hosting;
using MeshEdge.Native.Xds;
using MeshEdge.Native.Xds.Wire;

namespace MeshEdge.Native.Tests.Xds;

/// <summary>
/// A cluster is translated once, when CDS brings it, and its endpoints once, when EDS does: the
/// assembly puts what each bound to alone together instead of translating the pair again. What comes
/// out must be what the whole translation of the pair gives; and what the binder finds wrong in one
/// resource is that resource's NACK, by name, with the others applied (A46).
/// </summary>
public sealed class XdsClusterCompositionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("meshedge-compose-").FullName;
    private readonly EndpointTarget _target = new();
    private readonly XdsCache _cache = new();
    private readonly XdsConfigAssembler _assembler;
    private readonly XdsUpdateHandler _handler;

    public XdsClusterCompositionTests()
    {
        _assembler = XdsOfflineBootstrap.Assembler(_directory);
        _handler = new XdsUpdateHandler(_cache, new XdsStatus("sotw"), _assembler, _target, () => 0);
    }

    private string? Push<T>(XdsResourceType type, string version, params T[] messages)
        where T : IMessage =>
        _handler.Handle(type, version, [.. messages.Select(m => new XdsWireResource("", "", type.TypeUrl, m.ToByteArray()))], null, stateOfTheWorld: true);

    /// <summary>An EDS cluster with most of what the translator maps: policy, timeout, breakers, outlier detection, a health check.</summary>
    private static Cluster Tuned(string name)
    {
        var cluster = XdsResources.EdsCluster(name);
        cluster.LbPolicy = Cluster.Types.LbPolicy.LeastRequest;
        cluster.ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(2500));
        cluster.CircuitBreakers = new CircuitBreakers();
        cluster.CircuitBreakers.Thresholds.Add(new CircuitBreakers.Types.Thresholds { MaxConnections = 7, MaxRetries = 2 });
        cluster.OutlierDetection = new OutlierDetection { Consecutive5Xx = 3, Interval = Duration.FromTimeSpan(TimeSpan.FromSeconds(4)) };
        cluster.HealthChecks.Add(new HealthCheck
        {
            Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
            Interval = Duration.FromTimeSpan(TimeSpan.FromSeconds(3)),
            UnhealthyThreshold = 2,
            HealthyThreshold = 1,
            TcpHealthCheck = new HealthCheck.Types.TcpHealthCheck(),
        });
        return cluster;
    }

    /// <summary>Two localities, the second at priority 1, hosts with weights.</summary>
    private static ClusterLoadAssignment Weighted(string name)
    {
        var assignment = XdsResources.Assignment(name, 9201, 9202);
        assignment.Endpoints[0].LbEndpoints[1].LoadBalancingWeight = 3;
        var backup = new LocalityLbEndpoints { Priority = 1 };
        backup.LbEndpoints.Add(new LbEndpoint { Endpoint = new Endpoint { Address = XdsResources.Socket("127.0.0.2", 9203) } });
        assignment.Endpoints.Add(backup);
        return assignment;
    }

    [Fact]
    public void ClustersPutTogetherFromTheirPartsAreWhatTheWholeTranslationGives()
    {
        var named = XdsResources.EdsCluster("named");
        named.EdsClusterConfig.ServiceName = "named-endpoints";
        var odd = XdsResources.EdsCluster("odd");
        odd.Type = Cluster.Types.DiscoveryType.OriginalDst;
        Assert.Null(Push(XdsResourceType.Clusters, "c1", XdsResources.EdsCluster("plain"), Tuned("tuned"), named, XdsResources.StaticCluster("fixed", 9100), odd));
        Assert.Null(Push(XdsResourceType.Endpoints, "e1", XdsResources.Assignment("plain", 9001), Weighted("tuned"), XdsResources.Assignment("named-endpoints", 9002, 9003)));

        var applied = _target.Whole[^1].Clusters;
        var whole = _assembler.AssembleWhole(_cache, 0);
        Assert.True(whole.Succeeded, string.Join("; ", whole.Errors));
        Assert.Equal(whole.Config!.Clusters.Select(c => c.Name).Order(), applied.Select(c => c.Name).Order());
        Assert.DoesNotContain(applied, c => c.Name == "odd");
        foreach (var expected in whole.Config.Clusters)
        {
            var actual = applied.Single(c => c.Name == expected.Name);
            Assert.True(LiveConfigDiff.SameSettings(expected, actual), $"{expected.Name}: {actual} is not {expected}");
            Assert.True(LiveConfigDiff.SameHosts(expected, actual), $"{expected.Name}: hosts {string.Join(", ", actual.Hosts)} are not {string.Join(", ", expected.Hosts)}");
        }

        Assert.Equal(3, applied.Single(c => c.Name == "tuned").Hosts.Length);
        Assert.Equal(9100, applied.Single(c => c.Name == "fixed").Hosts.Single().Address.Port);
    }

    [Fact]
    public void AnAssignmentTheBinderRefusesIsNackedByNameAndTheOthersApply()
    {
        Assert.Null(Push(XdsResourceType.Clusters, "c1", XdsResources.EdsCluster("a"), XdsResources.EdsCluster("b")));

        // Port 0 passes the translator; it is the binder's error (a host cannot be dialled on port 0).
        var nack = Push(XdsResourceType.Endpoints, "e1", XdsResources.Assignment("a", 9001), XdsResources.Assignment("b", 0));

        Assert.NotNull(nack);
        Assert.Contains("EDS b: ", nack);
        Assert.DoesNotContain("the config as a whole", nack);
        Assert.Equal(["a"], _cache.Of(XdsResourceType.Endpoints).Keys);
        Assert.Contains(_target.Whole[^1].Clusters, c => c.Name == "a" && c.Hosts.Single().Address.Port == 9001);
    }

    [Fact]
    public void AClusterTheBinderRefusesIsNackedAtCdsByNameAndTheOthersWarm()
    {
        var zero = XdsResources.EdsCluster("zero");
        zero.ConnectTimeout = new Duration();

        var nack = Push(XdsResourceType.Clusters, "c1", XdsResources.EdsCluster("ok"), zero);

        Assert.NotNull(nack);
        Assert.Contains("CDS zero: ", nack);
        Assert.Contains("connect_timeout", nack);
        Assert.Equal(["ok"], _cache.Of(XdsResourceType.Clusters).Keys);
        Assert.Null(Push(XdsResourceType.Endpoints, "e1", XdsResources.Assignment("ok", 9001)));
        Assert.Contains(_target.Whole[^1].Clusters, c => c.Name == "ok" && c.Hosts.Single().Address.Port == 9001);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
