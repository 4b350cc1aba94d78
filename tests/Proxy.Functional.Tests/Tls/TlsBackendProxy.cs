using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// The proxy most TLS listener tests stand up: one HTTP listener with a certificate for
/// a.example.test (or, for a plaintext comparison, none), every request to a scripted backend, and
/// an admin listener. Disposing it stops the proxy, fails the test if the backend saw an error, and
/// removes the certificates.
/// </summary>
internal sealed class TlsBackendProxy : IAsyncDisposable
{
    public const string ServerName = "a.example.test";

    private readonly TestCertificates _certificates;

    private TlsBackendProxy(TestCertificates certificates, ScriptedHttpBackend backend, ProxyProcess proxy)
    {
        _certificates = certificates;
        Backend = backend;
        Proxy = proxy;
    }

    public ScriptedHttpBackend Backend { get; }

    public ProxyProcess Proxy { get; }

    public int Port => Proxy.ListenerAddress().Port;

    /// <param name="tls">False: the same listener in plaintext.</param>
    public static async Task<TlsBackendProxy> StartAsync(ITestOutputHelper output, bool tls = true)
    {
        var certificates = await TestCertificates.CreateAsync();
        var backend = ScriptedHttpBackend.Start();
        try
        {
            var cluster = HttpToml.Cluster("app", backend.EndPoint);
            var config = tls
                ? TlsToml.Config(HttpToml.CatchAll(), TlsToml.Certificate(await certificates.IssueAsync(ServerName), ServerName), cluster)
                : TlsToml.WithAdmin(HttpToml.Config(HttpToml.CatchAll(), cluster));
            return new TlsBackendProxy(certificates, backend, await ProxyProcess.StartTomlAsync(config, output));
        }
        catch
        {
            await backend.DisposeAsync();
            certificates.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Proxy.DisposeAsync();
            await Backend.AssertNoErrorsAndDisposeAsync();
        }
        finally
        {
            _certificates.Dispose();
        }
    }
}
