using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// Two chains for one name, ECDSA P-256 and RSA 2048: openssl s_client gets the one its offer allows,
/// by TLS 1.2 cipher suite (ECDHE-ECDSA-... or ECDHE-RSA-...) and by TLS 1.3 signature algorithm.
/// </summary>
public sealed class TlsCertificateKeyTypeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Name = "a.example.test";
    private TestCertificates _certificates = null!;
    private ProxyProcess _proxy = null!;

    public async Task InitializeAsync()
    {
        _certificates = await TestCertificates.CreateAsync();
        var other = await _certificates.IssueWithAsync("other", "/CN=other.example.test", ["DNS:other.example.test"]);
        var ecdsa = await _certificates.IssueWithAsync("ecdsa", "/CN=" + Name, ["DNS:" + Name]);
        var rsa = await _certificates.IssueWithAsync("rsa", "/CN=" + Name, ["DNS:" + Name], rsa: true);
        var tls = TlsToml.Certificate(other) + TlsToml.Certificate(ecdsa, Name) + TlsToml.Certificate(rsa, Name);
        _proxy = await ProxyProcess.StartTomlAsync(TlsToml.Config("[[listeners.http.virtual_hosts]]\nname = \"all\"\nroutes = [{ match = { prefix = \"/\" }, direct_response = { status = 200 } }]", tls), output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _certificates.Dispose();
    }

    [Theory]
    [InlineData("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", "256")]
    [InlineData("-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256", "2048")]
    [InlineData("-tls1_3", "-sigalgs", "ecdsa_secp256r1_sha256", "256")]
    [InlineData("-tls1_3", "-sigalgs", "rsa_pss_rsae_sha256", "2048")]
    public async Task The_client_gets_the_chain_its_offer_allows(string version, string option, string offer, string keyBits)
    {
        var run = await TlsPeers.SClientAsync(_certificates, _proxy.ListenerAddress(), "-servername", Name, version, option, offer);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"Server public key is {keyBits} bit", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Verify return code: 0 (ok)", run.Stdout, StringComparison.Ordinal);
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Two_chains_of_one_key_type_for_the_same_names_are_a_config_error()
    {
        await _proxy.StopCleanlyAsync();
        var first = await _certificates.IssueWithAsync("first", "/CN=" + Name, ["DNS:" + Name]);
        var second = await _certificates.IssueWithAsync("second", "/CN=" + Name, ["DNS:" + Name]);
        using var directory = new TempDirectory();
        var path = directory.Write("meshedge.toml", TlsToml.Config(HttpToml.CatchAll(), TlsToml.Certificate(first, Name) + TlsToml.Certificate(second, Name),
            HttpToml.Cluster("app", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9))));

        var run = await MeshEdgeCli.RunAsync(output, "validate", "-c", path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("listeners[0].tls.certificates[1]: a second ECDSA certificate for the same server names as listeners[0].tls.certificates[0]", Assert.Single(run.Stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_without_alternatives_keeps_its_one_chain()
    {
        var run = await TlsPeers.SClientAsync(_certificates, _proxy.ListenerAddress(), "-servername", "other.example.test", "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal(1, TlsPeers.FailuresOf(await TlsPeers.StatsAsync(_proxy), "no_shared_cipher"));
        await _proxy.StopCleanlyAsync();
    }
}
