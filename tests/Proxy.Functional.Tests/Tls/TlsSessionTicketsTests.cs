using System.Text.RegularExpressions;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// <c>session_tickets</c> and <c>prefer_server_ciphers</c> on the binary, seen by openssl s_client
/// (whose TLS 1.3 list puts AES-256-GCM first): by default one NewSessionTicket per handshake and
/// AES-128-GCM, the first of our list; a client that lists ChaCha20 first keeps it; the count
/// configured is the count sent; 0 sends none and resumes nothing, in TLS 1.2 either.
/// </summary>
public sealed partial class TlsSessionTicketsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Name = "a.example.test";

    private TestCertificates _certificates = null!;
    private (string Chain, string Key) _certificate;
    private ProxyProcess? _proxy;

    public async Task InitializeAsync()
    {
        _certificates = await TestCertificates.CreateAsync();
        _certificate = await _certificates.IssueAsync(Name);
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        _certificates.Dispose();
    }

    [Theory]
    [InlineData("", null, 1, "TLS_AES_128_GCM_SHA256")]
    [InlineData("", "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256", 1, "TLS_CHACHA20_POLY1305_SHA256")]
    [InlineData("session_tickets = 3\nprefer_server_ciphers = false\n", null, 3, "TLS_AES_256_GCM_SHA384")]
    [InlineData("session_tickets = 0\n", null, 0, "TLS_AES_128_GCM_SHA256")]
    public async Task A_tls_1_3_handshake_sends_the_tickets_configured_and_picks_the_suite(string settings, string? clientSuites, int tickets, string suite)
    {
        await StartAsync(settings);

        string[] suites = clientSuites is null ? [] : ["-ciphersuites", clientSuites];
        var run = await RequestAsync(["-tls1_3", "-msg", .. suites]);

        Assert.Contains("HTTP/1.1 200", run.Stdout, StringComparison.Ordinal);
        Assert.True(Tickets().Matches(run.Stdout).Count == tickets, $"expected {tickets} NewSessionTicket messages: {run}");
        Assert.Contains($"New, TLSv1.3, Cipher is {suite}", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_tickets_a_tls_1_2_client_resumes_nothing()
    {
        await StartAsync("session_tickets = 0\n");

        var run = await TlsPeers.SClientAsync(_certificates, _proxy!.ListenerAddress(), "-servername", Name, "-tls1_2", "-reconnect");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(6, Sessions().Matches(run.Stdout).Count(m => m.Groups[1].Value == "New"));
        Assert.DoesNotContain("Reused,", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_ticket_is_enough_to_resume_again_and_again()
    {
        await StartAsync("");
        var session = _certificates.PathOf("one-ticket.pem");

        Assert.Contains("New, TLSv1.3", (await RequestAsync(["-tls1_3", "-sess_out", session])).Stdout, StringComparison.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            var resumed = await RequestAsync(["-tls1_3", "-sess_in", session]);
            Assert.True(resumed.Stdout.Contains("Reused, TLSv1.3", StringComparison.Ordinal), resumed.ToString());
        }
    }

    private async Task StartAsync(string settings)
    {
        var http = """
            [[listeners.http.virtual_hosts]]
            name = "all"
            domains = ["*"]
            routes = [{ match = { prefix = "/" }, direct_response = { status = 200, body = "ok" } }]
            """;
        _proxy = await ProxyProcess.StartTomlAsync(TlsToml.Config(http, settings + TlsToml.Certificate(_certificate)), output);
    }

    /// <summary>One request through s_client, which stays a second to read the response and the tickets after it.</summary>
    private Task<ToolRun> RequestAsync(string[] arguments) =>
        ToolRun.RunAsync("sh", ["-c", "(printf 'GET / HTTP/1.1\\r\\nHost: " + Name + "\\r\\nConnection: close\\r\\n\\r\\n'; sleep 1) | openssl s_client \"$@\"", "s_client",
            "-connect", _proxy!.ListenerAddress().ToString(), "-servername", Name, "-CAfile", _certificates.CaPath, "-ign_eof", .. arguments]);

    [GeneratedRegex(@"^<<< TLS 1\.3, Handshake \[length [0-9a-f]+\], NewSessionTicket", RegexOptions.Multiline)]
    private static partial Regex Tickets();

    [GeneratedRegex(@"^(New|Reused), (TLSv1\.[23]),", RegexOptions.Multiline)]
    private static partial Regex Sessions();
}
