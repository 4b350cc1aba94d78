using System.Net;
using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using MeshEdge.Functional.Tests.Harness;
using MeshEdge.Functional.Tests.Tls;
using MeshEdge.Native.Tests.Xds;
using Xunit.Abstractions;
using static MeshEdge.Functional.Tests.Xds.XdsPlaneDriver;

namespace MeshEdge.Functional.Tests.Xds;

/// <summary>
/// The AOT binary on an ADS bootstrap with one HTTPS listener, <c>inbound</c>, whose certificate (and
/// optionally the CA its clients must come from) the test control plane sends as SDS secrets: the
/// start-up shape the SDS tests share, and the resources and s_client reading they build on.
/// </summary>
internal sealed class SdsServedListener : IAsyncDisposable
{
    public const string Listener = "inbound";

    private SdsServedListener(XdsPlaneDriver plane, ProxyProcess proxy)
    {
        Plane = plane;
        Proxy = proxy;
    }

    public XdsPlaneDriver Plane { get; }

    public ProxyProcess Proxy { get; }

    public IPEndPoint Inbound => Proxy.ListenerAddress(Listener);

    /// <summary>
    /// Starts the plane and the binary, pushes the cluster <c>app</c>, the listener naming <paramref name="secrets"/>'
    /// names (with <paramref name="listener"/> shaping its TLS context), the routes and the secrets, and
    /// waits for the listener to start.
    /// </summary>
    public static async Task<SdsServedListener> StartAsync(bool delta, int appPort, IMessage[] secrets, Envoy.Config.Listener.V3.Listener listener, ITestOutputHelper output)
    {
        var plane = await XdsPlaneDriver.StartAsync(delta);
        ProxyProcess? proxy = null;
        try
        {
            proxy = await ProxyProcess.StartWithFileAsync("envoy.json", AdsBinaryTests.Bootstrap(plane.Server.Port, plane.ApiType), output);
            await plane.NextAsync(Cds);
            await plane.PushAckedAsync(Cds, "c1", [XdsResources.StaticCluster("app", appPort)]);
            await plane.PushAckedAsync(Lds, "l1", [listener]);
            Assert.Equal(["routes"], (await plane.NextAsync(Rds)).Subscribed);
            Assert.Equal(secrets.Select(s => ((Secret)s).Name).Order(StringComparer.Ordinal), (await plane.NextAsync(Sds)).Subscribed.Order(StringComparer.Ordinal));
            await plane.PushAckedAsync(Rds, "r1", [XdsResources.Routes("routes", "app")]);
            await plane.PushAckedAsync(Sds, "s1", secrets);
            await proxy.WaitForLogAsync("listener started", TimeSpan.FromSeconds(30), line => line.Get("listener") == Listener);
            return new SdsServedListener(plane, proxy);
        }
        catch
        {
            if (proxy is not null)
            {
                await proxy.DisposeAsync();
            }

            await plane.DisposeAsync();
            throw;
        }
    }

    /// <summary>The HTTP listener <c>inbound</c> (routes <c>routes</c>) whose certificate is the secret <paramref name="certificate"/>; with <paramref name="clientCa"/>, clients must present one from that validation secret.</summary>
    public static Envoy.Config.Listener.V3.Listener TlsListener(string certificate, string? clientCa = null)
    {
        var listener = XdsResources.HttpListener(Listener, 0, "routes");
        var common = new CommonTlsContext();
        common.TlsCertificateSdsSecretConfigs.Add(new SdsSecretConfig { Name = certificate, SdsConfig = Ads() });
        var downstream = new DownstreamTlsContext { CommonTlsContext = common };
        if (clientCa is not null)
        {
            common.ValidationContextSdsSecretConfig = new SdsSecretConfig { Name = clientCa, SdsConfig = Ads() };
            downstream.RequireClientCertificate = true;
        }

        listener.FilterChains[0].TransportSocket = new TransportSocket { Name = "envoy.transport_sockets.tls", TypedConfig = Any.Pack(downstream) };
        return listener;
    }

    /// <summary>A certificate secret: the chain as inline bytes, the key as an inline string (both of Envoy's inline forms).</summary>
    public static async Task<IMessage> SecretAsync(string name, (string Chain, string Key) files) => new Secret
    {
        Name = name,
        TlsCertificate = new TlsCertificate
        {
            CertificateChain = new DataSource { InlineBytes = ByteString.CopyFrom(await File.ReadAllBytesAsync(files.Chain)) },
            PrivateKey = new DataSource { InlineString = await File.ReadAllTextAsync(files.Key) },
        },
    };

    /// <summary>A validation secret (Istio's <c>ROOTCA</c>): the CA bundle at <paramref name="caPath"/>.</summary>
    public static async Task<IMessage> CaSecretAsync(string name, string caPath) => new Secret
    {
        Name = name,
        ValidationContext = new CertificateValidationContext { TrustedCa = new DataSource { InlineString = await File.ReadAllTextAsync(caPath) } },
    };

    /// <summary>The subject line s_client prints for the certificate the listener served (spaces removed: OpenSSL versions differ).</summary>
    public static async Task<string> SubjectAsync(TestCertificates certificates, IPEndPoint listener)
    {
        var run = await TlsPeers.SClientAsync(certificates, listener);
        var line = run.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith("subject=", StringComparison.Ordinal)) ?? run.ToString();
        return line.Replace(" ", "", StringComparison.Ordinal);
    }

    /// <summary>Polls s_client until new handshakes get <paramref name="commonName"/>'s certificate (30 s); returns the last subject seen.</summary>
    public async Task<string> WaitForSubjectAsync(TestCertificates certificates, string commonName)
    {
        var subject = "";
        for (var i = 0; i < 60 && !subject.Contains("CN=" + commonName, StringComparison.Ordinal); i++)
        {
            await Task.Delay(i == 0 ? 0 : 500);
            subject = await SubjectAsync(certificates, Inbound);
        }

        return subject;
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Plane.DisposeAsync();
    }

    private static ConfigSource Ads() => new() { Ads = new AggregatedConfigSource() };
}
