using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>Certificate files that cannot serve are config errors: exit 2, the file, the key path and why, before anything is bound.</summary>
public sealed class TlsConfigErrorTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task A_key_that_does_not_match_its_certificate_names_the_key_path()
    {
        using var certificates = await TestCertificates.CreateAsync();
        var a = await certificates.IssueAsync("a.example.test");
        var b = await certificates.IssueAsync("b.example.test");

        var run = await RunAsync(TlsToml.Certificate(a) + TlsToml.Certificate((b.Chain, a.Key)));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"listeners[0].tls.certificates[1].private_key: {a.Key} does not match the certificate in {b.Chain}", Assert.Single(run.Stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_chain_and_a_key_that_is_not_pem_are_both_reported()
    {
        using var certificates = await TestCertificates.CreateAsync();
        var a = await certificates.IssueAsync("a.example.test");
        var missing = _directory.PathOf("missing.pem");
        var notPem = _directory.Write("not-a-key.pem", "hello\n");

        var run = await RunAsync(TlsToml.Certificate((missing, a.Key)) + TlsToml.Certificate((a.Chain, notPem)));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(2, run.Stderr.Count);
        Assert.Contains($"listeners[0].tls.certificates[0].certificate_chain: cannot read {missing}: No such file or directory", run.Stderr[0], StringComparison.Ordinal);
        Assert.Contains($"listeners[0].tls.certificates[1].private_key: {notPem} is not a PEM private key", run.Stderr[1], StringComparison.Ordinal);
    }

    private async Task<CliResult> RunAsync(string tls)
    {
        var path = _directory.Write("meshedge.toml", TlsToml.Config(HttpToml.CatchAll(), tls, HttpToml.Cluster("app", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9))));
        var run = await MeshEdgeCli.RunAsync(output, "run", "-c", path);
        Assert.All(run.Stderr, line => Assert.StartsWith(path, line, StringComparison.Ordinal));
        return run;
    }

    public void Dispose() => _directory.Dispose();
}
