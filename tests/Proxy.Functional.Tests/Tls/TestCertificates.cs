using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// A throwaway CA and the certificates it signs, made with the openssl CLI in a private directory when
/// a test starts (no key is ever committed): ECDSA P-256, valid for two days, with the names as SANs.
/// </summary>
internal sealed partial class TestCertificates : IDisposable
{
    private readonly TempDirectory _directory = new();

    private TestCertificates()
    {
    }

    /// <summary>The CA's certificate, for clients' --cacert / -CAfile.</summary>
    public string CaPath => _directory.PathOf("ca.pem");

    public string PathOf(string fileName) => _directory.PathOf(fileName);

    public static async Task<TestCertificates> CreateAsync()
    {
        var certificates = new TestCertificates();
        await OpenSslAsync("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", certificates.PathOf("ca.key"), "-out", certificates.CaPath, "-days", "2", "-subj", "/CN=MeshEdge Test CA");
        return certificates;
    }

    /// <summary>A leaf for <paramref name="commonName"/> (also its first SAN) and <paramref name="moreNames"/>; returns its chain and key files.</summary>
    public async Task<(string Chain, string Key)> IssueAsync(string commonName, params string[] moreNames)
    {
        var key = PathOf(commonName + ".key");
        var request = PathOf(commonName + ".csr");
        var chain = PathOf(commonName + ".pem");
        var extensions = _directory.Write(commonName + ".ext", "subjectAltName=" + string.Join(",", new[] { commonName }.Concat(moreNames).Select(n => (n.Contains("://", StringComparison.Ordinal) ? "URI:" : "DNS:") + n)) + "\n");
        await OpenSslAsync("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", request, "-subj", "/CN=" + commonName);
        await OpenSslAsync("x509", "-req", "-in", request, "-CA", CaPath, "-CAkey", PathOf("ca.key"), "-CAcreateserial",
            "-out", chain, "-days", "2", "-extfile", extensions);
        return (chain, key);
    }

    private static async Task OpenSslAsync(params string[] arguments)
    {
        var run = await ToolRun.RunAsync("openssl", arguments);
        Assert.True(run.ExitCode == 0, "openssl " + string.Join(" ", arguments) + "\n" + run);
    }

    public void Dispose() => _directory.Dispose();
}
