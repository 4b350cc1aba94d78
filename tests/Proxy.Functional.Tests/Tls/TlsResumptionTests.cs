using System.Text.RegularExpressions;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// Session resumption with the process's ticket keys, seen by openssl s_client: TLS 1.2 reconnects
/// say "Reused", a TLS 1.3 session saved with -sess_out resumes with -sess_in, across workers and
/// across a hot upgrade (the successor is handed the keys).
/// </summary>
public sealed partial class TlsResumptionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Name = "a.example.test";
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _uds = new();
    private TestCertificates _certificates = null!;
    private ProxyProcess _proxy = null!;

    public async Task InitializeAsync()
    {
        _certificates = await TestCertificates.CreateAsync();
        var certificate = await _certificates.IssueAsync(Name);
        var http = """
            [[listeners.http.virtual_hosts]]
            name = "all"
            domains = ["*"]
            routes = [{ match = { prefix = "/" }, direct_response = { status = 200, body = "ok" } }]
            """;
        var config = TlsToml.Config(http, TlsToml.Certificate(certificate))
            .Replace("workers = 1\n", $"workers = 2\nuds_dir = \"{_uds.Path}\"\n", StringComparison.Ordinal);
        _proxy = await ProxyProcess.StartWithFileAsync("meshedge.toml", config, output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _certificates.Dispose();
        _uds.Dispose();
    }

    [Fact]
    public async Task Tls_1_2_reconnects_are_reused()
    {
        var run = await TlsPeers.SClientAsync(_certificates, _proxy.ListenerAddress(), "-servername", Name, "-tls1_2", "-reconnect");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(Sessions().Matches(run.Stdout), m => m.Groups[1].Value == "New");
        Assert.Equal(5, Sessions().Matches(run.Stdout).Count(m => m.Groups[1].Value == "Reused" && m.Groups[2].Value == "TLSv1.2"));
    }

    [Fact]
    public async Task A_tls_1_3_session_resumes_and_still_does_after_a_hot_upgrade()
    {
        var session = _certificates.PathOf("session.pem");
        var first = await RequestAsync("-sess_out", session);
        Assert.Equal("New", SessionOf(first));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("Reused", SessionOf(await RequestAsync("-sess_in", session)));
        }

        var predecessor = _proxy.Pid;
        Assert.Equal(0, Libc.Kill(predecessor, Libc.SigHup));
        var successor = await _proxy.WaitForSuccessorAsync(predecessor, Liveness);
        Assert.True(await ListeningSockets.WaitUntilReleasedAsync(predecessor, _proxy.ListenerAddress().Port, Liveness), "the old process kept its listening sockets");

        var resumed = await RequestAsync("-sess_in", session);
        Assert.Equal("Reused", SessionOf(resumed));
        Assert.Contains("HTTP/1.1 200", resumed.Stdout, StringComparison.Ordinal);
        await _proxy.WaitForLogOfAsync("session ticket keys taken over", successor, Liveness);
        Assert.Equal(0, Libc.Kill(successor, Libc.SigTerm));
    }

    /// <summary>One TLS 1.3 request through s_client, which stays to read the response (and with it the session tickets).</summary>
    private Task<ToolRun> RequestAsync(params string[] arguments) =>
        ToolRun.RunAsync("sh", ["-c", "(printf 'GET / HTTP/1.1\\r\\nHost: " + Name + "\\r\\nConnection: close\\r\\n\\r\\n'; sleep 1) | openssl s_client \"$@\"", "s_client",
            "-connect", _proxy.ListenerAddress().ToString(), "-servername", Name, "-CAfile", _certificates.CaPath, "-tls1_3", "-ign_eof", .. arguments]);

    private static string SessionOf(ToolRun run)
    {
        var match = Sessions().Match(run.Stdout);
        Assert.True(match.Success, run.ToString());
        Assert.Equal("TLSv1.3", match.Groups[2].Value);
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"^(New|Reused), (TLSv1\.[23]),", RegexOptions.Multiline)]
    private static partial Regex Sessions();
}
