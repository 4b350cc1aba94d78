using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// SIGTERM with an idle keep-alive TLS connection open: the proxy ends it with close_notify (seen by
/// openssl s_client -msg as an alert it received) and exits 0 at once with every block returned.
/// </summary>
public sealed class TlsDrainTests(ITestOutputHelper output)
{
    private const string Name = "a.example.test";

    [Fact]
    public async Task An_idle_tls_connection_gets_close_notify_and_the_proxy_exits_cleanly()
    {
        using var certificates = await TestCertificates.CreateAsync();
        var certificate = await certificates.IssueAsync(Name);
        await using var backend = ScriptedHttpBackend.Start();
        await using var proxy = await ProxyProcess.StartTomlAsync(
            TlsToml.Config(HttpToml.CatchAll(), TlsToml.Certificate(certificate), HttpToml.Cluster("app", backend.EndPoint)), output);

        // One request, then the client stays connected (-ign_eof) until the server ends the connection.
        var client = ToolRun.RunAsync("sh", ["-c", "(printf 'GET / HTTP/1.1\\r\\nHost: " + Name + "\\r\\n\\r\\n'; sleep 1) | openssl s_client \"$@\"", "s_client",
            "-connect", proxy.ListenerAddress().ToString(), "-servername", Name, "-CAfile", certificates.CaPath, "-msg", "-ign_eof"]);
        Assert.True(await Progress.WaitUntilAsync(() => backend.Requests.Count == 1, TimeSpan.FromSeconds(20)), "the request never reached the backend");
        await Task.Delay(500);

        proxy.Signal(Libc.SigTerm);
        var run = await client;

        Assert.Contains("HTTP/1.1 200", run.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"<<< TLS [0-9.]+, Alert \[length 0002\], warning close_notify", run.Stdout);
        proxy.AssertCleanExit(await proxy.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }
}
