using System.Text;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// x-forwarded-client-cert as a backend sees it, in each of Envoy's forward_client_cert_details modes:
/// one listener per mode, each with optional mTLS; curl sends a forged header with and without a
/// client certificate.
/// </summary>
public sealed class TlsClientCertHeaderTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Forged = "By=spiffe://forged;Hash=0000";

    private static readonly string[] Modes = ["sanitize", "forward_only", "append_forward", "sanitize_set", "always_forward_only"];

    private TlsIdentity _identity = null!;
    private ScriptedHttpBackend _backend = null!;
    private ProxyProcess _proxy = null!;
    private string _element = null!;

    public async Task InitializeAsync()
    {
        _identity = await TlsIdentity.CreateAsync();
        _backend = ScriptedHttpBackend.Start();
        var listeners = new StringBuilder();
        foreach (var mode in Modes)
        {
            listeners.Append(Listener(mode, mode, "{ subject = true, uri = true, dns = true }"));
        }

        listeners.Append(Listener("with_cert", "sanitize_set", "{ cert = true, chain = true }"));
        var config = $"""
            [admin]
            address = "127.0.0.1:0"

            [runtime]
            workers = 1
            drain_timeout = "10s"

            {listeners}
            {HttpToml.Cluster("app", _backend.EndPoint)}
            """;
        _proxy = await ProxyProcess.StartTomlAsync(config, output);
        var hash = await TlsIdentity.FingerprintAsync(_identity.Frontend.Chain);
        _element = $"By={TlsIdentity.ServerSpiffeId};Hash={hash};Subject=\"{TlsIdentity.FrontendSubject}\";URI={TlsIdentity.FrontendId};DNS={TlsIdentity.FrontendDns}";
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _backend.AssertNoErrors();
        await _backend.DisposeAsync();
        _identity.Dispose();
    }

    public static TheoryData<string, bool, string?> Cases => new()
    {
        { "sanitize", true, null },
        { "sanitize", false, null },
        { "forward_only", true, Forged },
        { "forward_only", false, null },
        { "append_forward", true, Forged + ",ELEMENT" },
        { "append_forward", false, null },
        { "sanitize_set", true, "ELEMENT" },
        { "sanitize_set", false, null },
        { "always_forward_only", true, Forged },
        { "always_forward_only", false, Forged },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_backend_sees_what_the_mode_says(string mode, bool mtls, string? expected)
    {
        var curl = await _identity.CurlAsync(_proxy.ListenerAddress(mode), "/", mtls ? _identity.Frontend : null, "-f", "-H", "x-forwarded-client-cert: " + Forged);

        Assert.True(curl.ExitCode == 0, curl.ToString());
        var seen = _backend.Requests.Last().Head;
        Assert.Equal(expected?.Replace("ELEMENT", _element, StringComparison.Ordinal), seen.Get("x-forwarded-client-cert"));
        Assert.Equal(expected is null ? 0 : 1, seen.Fields.Count(f => string.Equals(f.Key, "x-forwarded-client-cert", StringComparison.OrdinalIgnoreCase)));
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Cert_and_chain_carry_the_client_certificate_url_encoded()
    {
        var curl = await _identity.CurlAsync(_proxy.ListenerAddress("with_cert"), "/", _identity.Frontend, "-f");

        Assert.True(curl.ExitCode == 0, curl.ToString());
        var pem = Uri.EscapeDataString(await File.ReadAllTextAsync(_identity.Frontend.Chain));
        var hash = await TlsIdentity.FingerprintAsync(_identity.Frontend.Chain);
        Assert.Equal($"By={TlsIdentity.ServerSpiffeId};Hash={hash};Cert=\"{pem}\";Chain=\"{pem}\"", _backend.Requests.Last().Head.Get("x-forwarded-client-cert"));
        await _proxy.StopCleanlyAsync();
    }

    private string Listener(string name, string mode, string details) => $"""

        [[listeners]]
        name = "{name}"
        address = "127.0.0.1:0"
        protocol = "http"

        [listeners.http]
        forward_client_cert_details = "{mode}"
        set_current_client_cert_details = {details}
        {HttpToml.CatchAll()}

        [listeners.tls]
        {_identity.TlsTable("optional")}

        """;
}
