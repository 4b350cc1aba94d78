using System.Diagnostics;
using System.Text.Json;
using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// Debian's testssl.sh (installed as <c>testssl</c> by <c>make tls-peers</c>) against an HTTP listener
/// whose <c>[listeners.tls]</c> table names only a certificate: the defaults must offer TLS 1.2 and 1.3
/// and nothing older, no weak cipher category, no client-initiated renegotiation and no compression.
/// The scan is limited to the checks asserted here (protocols, cipher categories, renegotiation, CRIME)
/// and makes no DNS lookups; its findings are read from the flat JSON file by id. Two locks keep TLS 1.0
/// and 1.1 out: the minimum version and the AEAD-only cipher list (a minimum of 1.0 alone still offers neither).
/// </summary>
public sealed class TestSslTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>testssl's own ClientHellos and one openssl per cipher category: 23-26 s measured on a busy 2-core machine.</summary>
    private static readonly TimeSpan ScanTimeout = TimeSpan.FromMinutes(5);

    private const string ServerName = "a.example.test";

    private TestCertificates _certificates = null!;
    private ScriptedHttpBackend _backend = null!;
    private ProxyProcess _proxy = null!;
    private readonly TempDirectory _scratch = new();

    public async Task InitializeAsync()
    {
        _certificates = await TestCertificates.CreateAsync();
        var certificate = await _certificates.IssueAsync(ServerName);
        _backend = ScriptedHttpBackend.Start();
        _proxy = await ProxyProcess.StartTomlAsync(TlsToml.Config(HttpToml.CatchAll(), TlsToml.Certificate(certificate), HttpToml.Cluster("app", _backend.EndPoint)), output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _backend.DisposeAsync();
        _certificates.Dispose();
        _scratch.Dispose();
    }

    [Fact]
    public async Task Testssl_finds_only_tls_1_2_and_1_3_no_weak_cipher_no_renegotiation_and_no_compression()
    {
        await AssertServesTlsAsync("before the scan");
        var findings = await ScanAsync();

        var wrong = new List<string>();
        foreach (var id in new[] { "SSLv2", "SSLv3", "TLS1", "TLS1_1" })
        {
            Expect(findings, id, finding => finding.StartsWith("not offered", StringComparison.Ordinal), "not offered", wrong);
        }

        foreach (var id in new[] { "TLS1_2", "TLS1_3", "cipherlist_STRONG" })
        {
            Expect(findings, id, finding => finding.StartsWith("offered", StringComparison.Ordinal), "offered", wrong);
        }

        // NULL, anonymous, export, LOW (64-bit, DES, RC2, RC4), 3DES/IDEA and "AVERAGE" (obsolete CBC):
        // Mozilla's intermediate list is AEAD only, so every category but STRONG stays empty.
        foreach (var id in new[] { "cipherlist_NULL", "cipherlist_aNULL", "cipherlist_EXPORT", "cipherlist_LOW", "cipherlist_3DES_IDEA", "cipherlist_AVERAGE" })
        {
            Expect(findings, id, finding => finding.StartsWith("not offered", StringComparison.Ordinal), "not offered", wrong);
        }

        // RFC 5746's extension is still sent (a client may not renegotiate insecurely), but the server refuses to renegotiate.
        Expect(findings, "secure_renego", finding => finding == "supported", "supported", wrong);
        Expect(findings, "secure_client_renego", finding => finding.StartsWith("not vulnerable", StringComparison.Ordinal), "not vulnerable", wrong);
        Expect(findings, "CRIME_TLS", finding => finding.StartsWith("not vulnerable", StringComparison.Ordinal), "not vulnerable", wrong);

        Assert.True(wrong.Count == 0, "testssl found on the default TLS listener:\n" + string.Join("\n", wrong)
            + "\nall findings:\n" + string.Join("\n", findings.Select(f => $"{f.Key}: {f.Value}")));
        await _proxy.StopCleanlyAsync();
    }

    /// <summary>Runs testssl against the listener and returns its findings as id to finding text.</summary>
    private async Task<Dictionary<string, string>> ScanAsync()
    {
        var json = _scratch.PathOf("testssl.json");
        var stopwatch = Stopwatch.StartNew();
        var run = await ToolRun.RunAsync("testssl", [
            "--quiet", "--color", "0", "--warnings", "off", "--nodns", "none",
            "--connect-timeout", "10", "--openssl-timeout", "10",
            "--protocols", "--std", "--renegotiation", "--crime",
            "--jsonfile", json, _proxy.ListenerAddress().ToString(),
        ], ScanTimeout, closeInput: true);
        output.WriteLine($"testssl took {stopwatch.Elapsed.TotalSeconds:F0}s, exit {run.ExitCode}\n{run.Stdout}");
        Assert.True(File.Exists(json), "testssl wrote no JSON findings\n" + run + "\n" + ProxyState());

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var findings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var finding in document.RootElement.EnumerateArray())
        {
            findings[finding.GetProperty("id").GetString()!] = finding.GetProperty("finding").GetString()!;
        }

        if (findings.TryGetValue("scanProblem", out var problem))
        {
            // A scan that could not connect ("Connection refused") says nothing of why: tell whether the listener still serves.
            await AssertServesTlsAsync("after a scan problem");
            Assert.Fail($"testssl could not finish its scan, though the listener serves: {problem}\n{run}");
        }

        return findings;
    }

    /// <summary>
    /// One TLS handshake on the listener. "meshedge started" follows listen(), so it must succeed; a
    /// failure names the proxy's state instead of leaving a scan's "Connection refused" to explain.
    /// </summary>
    private async Task AssertServesTlsAsync(string when)
    {
        var hello = await OpenSslClient.HandshakeAsync(_proxy.ListenerAddress(), ServerName);
        Assert.True(hello.PeerCommonName == ServerName, $"{when}: no TLS handshake with the listener {_proxy.ListenerAddress()}\n{hello.Run}\n{ProxyState()}");
    }

    private string ProxyState() => _proxy.HasExited ? "meshedge has exited:\n" + _proxy.Describe() : $"meshedge (pid {_proxy.Pid}) is running";

    private static void Expect(Dictionary<string, string> findings, string id, Func<string, bool> isExpected, string expected, List<string> wrong)
    {
        if (!findings.TryGetValue(id, out var finding))
        {
            wrong.Add($"{id}: missing (expected \"{expected}\")");
        }
        else if (!isExpected(finding))
        {
            wrong.Add($"{id}: \"{finding}\" (expected \"{expected}\")");
        }
    }
}
