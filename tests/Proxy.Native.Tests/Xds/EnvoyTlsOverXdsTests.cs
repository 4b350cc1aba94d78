using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Envoy.Service.Discovery.V3;
using Google.Protobuf.WellKnownTypes;
using MeshEdge.Config.Model;
using MeshEdge.Native.Xds;

namespace MeshEdge.Native.Tests.Xds;

/// <summary>A pushed cluster's UpstreamTlsContext is translated as in a file (ACKed, TLS kept); SDS: <see cref="SdsOverAdsTests"/>.</summary>
public sealed class EnvoyTlsOverXdsTests
{
    private const string Ca = "-----BEGIN CERTIFICATE-----\nMIIBxds\n-----END CERTIFICATE-----\n";
    private static readonly string Cds = XdsResourceType.Clusters.TypeUrl;

    private static Envoy.Config.Cluster.V3.Cluster Cluster(string name, CommonTlsContext common)
    {
        var cluster = XdsResources.StaticCluster(name, 9443);
        var context = new UpstreamTlsContext { Sni = "backend.shop.svc.cluster.local", CommonTlsContext = common };
        cluster.TransportSocket = new TransportSocket { Name = "envoy.transport_sockets.tls", TypedConfig = Any.Pack(context) };
        return cluster;
    }

    [Fact]
    public async Task A_cluster_with_tls_is_acked_and_keeps_its_ca_sni_and_sans()
    {
        var validation = new CertificateValidationContext { TrustedCa = new DataSource { InlineString = Ca } };
        validation.MatchTypedSubjectAltNames.Add(new SubjectAltNameMatcher
        {
            SanType = SubjectAltNameMatcher.Types.SanType.Uri,
            Matcher = new Envoy.Type.Matcher.V3.StringMatcher { Exact = "spiffe://cluster.local/ns/shop/sa/backend" },
        });
        await using var xds = await XdsHarness.StartAsync(delta: false);
        await xds.Plane.NextAsync<DiscoveryRequest>(Cds);

        await xds.Plane.PushAsync(Cds, "v1", Cluster("secure", new CommonTlsContext { ValidationContext = validation }));
        var ack = await xds.Plane.NextAsync<DiscoveryRequest>(Cds);

        Assert.Null(ack.ErrorDetail);
        var tls = Assert.Single(xds.Target.Last!.Clusters, c => c.Name == "secure").Tls!;
        Assert.Equal(("backend.shop.svc.cluster.local", true), (tls.Sni, tls.Verify));
        Assert.Equal(PemSource.Inline(Ca), tls.Ca);
        Assert.Equal(["spiffe://cluster.local/ns/shop/sa/backend"], tls.SubjectAltNames.ToArray());
    }
}
