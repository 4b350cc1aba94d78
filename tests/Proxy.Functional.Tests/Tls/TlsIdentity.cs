using System.Net;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// The certificates the mTLS identity tests share: a server certificate for a.example.test (with a
/// SPIFFE id of its own, for XFCC's By), and client certificates from the client CA with SPIFFE ids
/// in two namespaces, one from a stranger CA.
/// </summary>
internal sealed class TlsIdentity : IDisposable
{
    public const string ServerName = "a.example.test";
    public const string ServerSpiffeId = "spiffe://cluster.local/ns/edge/sa/meshedge";
    public const string FrontendId = "spiffe://cluster.local/ns/prod/sa/frontend";
    public const string FrontendDns = "frontend.prod.svc";
    public const string FrontendSubject = "CN=frontend,O=MeshEdge Tests";
    public const string BatchId = "spiffe://cluster.local/ns/batch/sa/worker";

    private TlsIdentity(TestCertificates servers, TestCertificates clients, TestCertificates strangers)
    {
        Servers = servers;
        Clients = clients;
        Strangers = strangers;
    }

    public TestCertificates Servers { get; }

    public TestCertificates Clients { get; }

    public TestCertificates Strangers { get; }

    public (string Chain, string Key) Server { get; private init; }

    public (string Chain, string Key) Frontend { get; private init; }

    public (string Chain, string Key) Batch { get; private init; }

    public (string Chain, string Key) Stranger { get; private init; }

    public static async Task<TlsIdentity> CreateAsync()
    {
        var servers = await TestCertificates.CreateAsync();
        var clients = await TestCertificates.CreateAsync();
        var strangers = await TestCertificates.CreateAsync();
        return new TlsIdentity(servers, clients, strangers)
        {
            Server = await servers.IssueWithAsync("server", "/CN=" + ServerName, ["DNS:" + ServerName, "URI:" + ServerSpiffeId]),
            Frontend = await clients.IssueWithAsync("frontend", "/O=MeshEdge Tests/CN=frontend", ["URI:" + FrontendId, "DNS:" + FrontendDns]),
            Batch = await clients.IssueWithAsync("batch", "/CN=batch", ["URI:" + BatchId]),
            Stranger = await strangers.IssueWithAsync("stranger", "/CN=stranger", ["URI:" + FrontendId]),
        };
    }

    /// <summary>The body of <c>[listeners.tls]</c>: mTLS in <paramref name="mode"/> against the client CA, plus <paramref name="extra"/> lines.</summary>
    public string TlsTable(string mode, string extra = "") =>
        $"client_certificate = \"{mode}\"\nclient_ca = \"{Clients.CaPath}\"\n{extra}\n" + TlsToml.Certificate(Server, ServerName);

    /// <summary>curl to https://a.example.test:port/path (the server CA trusted), with <paramref name="client"/>'s certificate when given.</summary>
    public Task<ToolRun> CurlAsync(IPEndPoint listener, string path, (string Chain, string Key)? client, params string[] arguments)
    {
        string[] certificate = client is { } files ? ["--cert", files.Chain, "--key", files.Key] : [];
        return TlsPeers.CurlAsync(Servers, listener, ServerName, [.. certificate, .. arguments, TlsPeers.Url(listener, ServerName, path)]);
    }

    /// <summary>The certificate's SHA-256 fingerprint as openssl prints it, in Envoy's lower-case hex without colons.</summary>
    public static async Task<string> FingerprintAsync(string chain)
    {
        var run = await ToolRun.RunAsync("openssl", ["x509", "-in", chain, "-noout", "-fingerprint", "-sha256"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Stdout.Trim().Split('=')[1].Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
    }

    public void Dispose()
    {
        Servers.Dispose();
        Clients.Dispose();
        Strangers.Dispose();
    }
}
