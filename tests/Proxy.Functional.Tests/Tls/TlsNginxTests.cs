using System.Security.Cryptography;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// Large bodies both ways through a TLS listener to Debian's nginx: records cut across socket reads,
/// and, with a rate-limited reader, ciphertext the socket takes only in part (short writes). Bodies
/// are compared byte for byte with the files nginx served and stored.
/// </summary>
public sealed class TlsNginxTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Name = "a.example.test";
    private TestCertificates _certificates = null!;
    private NginxProcess _nginx = null!;
    private ProxyProcess _proxy = null!;
    private readonly TempDirectory _scratch = new();

    public async Task InitializeAsync()
    {
        _certificates = await TestCertificates.CreateAsync();
        var certificate = await _certificates.IssueAsync(Name);
        _nginx = await NginxProcess.StartAsync();
        _proxy = await ProxyProcess.StartTomlAsync(TlsToml.Config(HttpToml.CatchAll(), TlsToml.Certificate(certificate), HttpToml.Cluster("app", _nginx.EndPoint)), output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _nginx.DisposeAsync();
        _certificates.Dispose();
        _scratch.Dispose();
    }

    [Fact]
    public async Task A_large_upload_reaches_nginx_byte_exact()
    {
        var listener = _proxy.ListenerAddress();
        var upload = new byte[(8 * 1024 * 1024) + 5];
        new Random(17).NextBytes(upload);
        var source = _scratch.PathOf("upload.bin");
        File.WriteAllBytes(source, upload);

        var put = await TlsPeers.CurlAsync(_certificates, listener, Name, "-f", "-T", source, TlsPeers.Url(listener, Name, "/up/upload.bin"));

        Assert.True(put.ExitCode == 0, put.ToString());
        Assert.Equal(SHA256.HashData(upload), SHA256.HashData(File.ReadAllBytes(Path.Combine(_nginx.Root, "up", "upload.bin"))));
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_slowly_read_download_arrives_byte_exact()
    {
        var listener = _proxy.ListenerAddress();
        var served = _nginx.WriteFile("big.bin", (6 * 1024 * 1024) + 13, seed: 3);
        var saved = _scratch.PathOf("big.bin");

        // 3 MB/s: the socket fills, so ciphertext goes out in part and waits for EPOLLOUT with no plaintext queued.
        var get = await TlsPeers.CurlAsync(_certificates, listener, Name, "-f", "--limit-rate", "3M", "-o", saved, TlsPeers.Url(listener, Name, "/big.bin"));

        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Equal(SHA256.HashData(served), SHA256.HashData(File.ReadAllBytes(saved)));
        await _proxy.StopCleanlyAsync();
    }
}
