using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Envoy.Service.Discovery.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using MeshEdge.Config.Model;
using MeshEdge.Native.Xds;

namespace MeshEdge.Native.Tests.Xds;

/// <summary>
/// SDS over ADS, state of the world and delta: a cluster naming secrets (Istio's <c>default</c> and
/// <c>ROOTCA</c>) is ACKed but waits for them, and they are subscribed by name; once they arrive the
/// cluster joins with their material; a secret whose key does not match its certificate is NACKed by
/// name and the material in use stays.
/// </summary>
public sealed class SdsOverAdsTests
{
    private static readonly string Cds = XdsResourceType.Clusters.TypeUrl;
    private static readonly string Sds = XdsResourceType.Secrets.TypeUrl;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cluster_waits_for_its_secrets_takes_them_and_a_bad_one_is_nacked_by_name(bool delta)
    {
        var (chain, key) = Issue("workload.test");
        var (rootCa, _) = Issue("root.test");
        var (_, otherKey) = Issue("other.test");
        await using var xds = await XdsHarness.StartAsync(delta);
        await Next(xds, delta, Cds);

        await Push(xds, delta, Cds, "c1", ("secure", Cluster("secure")), ("plain", XdsResources.StaticCluster("plain", 9001)));
        Assert.Null(await Next(xds, delta, Cds));
        var subscribe = await NextRequest(xds, delta, Sds);
        Assert.Equal(["ROOTCA", "default"], subscribe);
        Assert.Contains(xds.Target.Last!.Clusters, c => c.Name == "plain");
        Assert.DoesNotContain(xds.Target.Last!.Clusters, c => c.Name == "secure");

        await Push(xds, delta, Sds, "s1", ("default", Certificate("default", chain, key)), ("ROOTCA", Root("ROOTCA", rootCa)));
        Assert.Null(await Next(xds, delta, Sds));
        var tls = Assert.Single(xds.Target.Last!.Clusters, c => c.Name == "secure").Tls!;
        Assert.Equal((PemSource.Inline(rootCa), PemSource.Inline(chain), PemSource.Inline(key)), (tls.Ca, tls.CertificateChain, tls.PrivateKey));

        var applied = xds.Target.Applied.Count;
        await Push(xds, delta, Sds, "s2", ("default", Certificate("default", chain, otherKey)), ("ROOTCA", Root("ROOTCA", rootCa)));
        var nack = await Next(xds, delta, Sds);
        Assert.Contains("SDS default: tls_certificate.private_key: inline does not match the certificate in inline", nack, StringComparison.Ordinal);
        Assert.DoesNotContain("ROOTCA", nack, StringComparison.Ordinal);
        Assert.Equal(PemSource.Inline(key), Assert.Single(xds.Target.Last!.Clusters, c => c.Name == "secure").Tls!.PrivateKey);
        Assert.True(xds.Target.Applied.Count <= applied + 1);
    }

    private static Envoy.Config.Cluster.V3.Cluster Cluster(string name)
    {
        var common = new CommonTlsContext
        {
            CombinedValidationContext = new CommonTlsContext.Types.CombinedCertificateValidationContext
            {
                DefaultValidationContext = new CertificateValidationContext(),
                ValidationContextSdsSecretConfig = new SdsSecretConfig { Name = "ROOTCA", SdsConfig = new ConfigSource { Ads = new AggregatedConfigSource() } },
            },
        };
        common.TlsCertificateSdsSecretConfigs.Add(new SdsSecretConfig { Name = "default", SdsConfig = new ConfigSource { Ads = new AggregatedConfigSource() } });
        var cluster = XdsResources.StaticCluster(name, 9443);
        var context = new UpstreamTlsContext { Sni = "backend.test", CommonTlsContext = common };
        cluster.TransportSocket = new TransportSocket { Name = "envoy.transport_sockets.tls", TypedConfig = Any.Pack(context) };
        return cluster;
    }

    private static Secret Certificate(string name, string chain, string key) => new()
    {
        Name = name,
        TlsCertificate = new TlsCertificate
        {
            CertificateChain = new DataSource { InlineBytes = ByteString.CopyFromUtf8(chain) },
            PrivateKey = new DataSource { InlineBytes = ByteString.CopyFromUtf8(key) },
        },
    };

    private static Secret Root(string name, string ca) => new()
    {
        Name = name,
        ValidationContext = new CertificateValidationContext { TrustedCa = new DataSource { InlineBytes = ByteString.CopyFromUtf8(ca) } },
    };

    /// <summary>A self-signed ECDSA certificate and its key, in PEM.</summary>
    private static (string Chain, string Key) Issue(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return (certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    private static Task Push(XdsHarness xds, bool delta, string type, string version, params (string Name, IMessage Resource)[] resources) => delta
        ? xds.Plane.PushDeltaAsync(type, version, resources.Select(r => (r.Name, version, r.Resource)))
        : xds.Plane.PushAsync(type, version, [.. resources.Select(r => r.Resource)]);

    /// <summary>The client's next answer of <paramref name="type"/>: its error_detail, null for an ACK.</summary>
    private static async Task<string?> Next(XdsHarness xds, bool delta, string type)
    {
        var error = delta ? (await xds.Plane.NextAsync<DeltaDiscoveryRequest>(type)).ErrorDetail : (await xds.Plane.NextAsync<DiscoveryRequest>(type)).ErrorDetail;
        return error?.Message;
    }

    /// <summary>The names the client's next request of <paramref name="type"/> subscribes.</summary>
    private static async Task<string[]> NextRequest(XdsHarness xds, bool delta, string type) => delta
        ? [.. (await xds.Plane.NextAsync<DeltaDiscoveryRequest>(type)).ResourceNamesSubscribe.Order(StringComparer.Ordinal)]
        : [.. (await xds.Plane.NextAsync<DiscoveryRequest>(type)).ResourceNames.Order(StringComparer.Ordinal)];
}
