using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>
/// A certificate as a named secret whose files are replaced while the proxy runs: new handshakes get
/// the new certificate, a connection made before keeps working, a pair that does not load keeps the
/// old one and says why (log, /certs, /metrics).
/// </summary>
public sealed class TlsSecretReloadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan ReloadDeadline = TimeSpan.FromSeconds(30);

    private TestCertificates _certificates = null!;
    private ProxyProcess _proxy = null!;

    private string LiveChain => _certificates.PathOf("live.pem");

    private string LiveKey => _certificates.PathOf("live.key");

    public async Task InitializeAsync()
    {
        _certificates = await TestCertificates.CreateAsync();
        var first = await _certificates.IssueAsync("a.example.test");
        File.Copy(first.Chain, LiveChain);
        File.Copy(first.Key, LiveKey);
        var http = """
            [[listeners.http.virtual_hosts]]
            name = "all"
            domains = ["*"]
            routes = [{ match = { prefix = "/" }, direct_response = { status = 200, body = "ok" } }]
            """;
        var tls = "[[listeners.tls.certificates]]\nsecret = \"edge\"\n";
        var secrets = $"\n[[secrets]]\nname = \"edge\"\ncertificate_chain = \"{LiveChain}\"\nprivate_key = \"{LiveKey}\"\n";
        _proxy = await ProxyProcess.StartTomlAsync(TlsToml.Config(http, tls) + secrets, output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _certificates.Dispose();
    }

    [Fact]
    public async Task New_handshakes_take_the_replaced_files_while_an_open_connection_goes_on()
    {
        var listener = _proxy.ListenerAddress();
        await using var held = await TlsClientConnection.OpenAsync(listener, "a.example.test");
        Assert.Contains("200 OK", await held.GetAsync("/before"), StringComparison.Ordinal);
        var before = await CertsAsync();
        Assert.Equal(held.SerialNumber, before.GetProperty("serial_number").GetString());
        Assert.Equal("CN=a.example.test", before.GetProperty("subject").GetString());
        // The test certificates live two days: shown as expiring (within 30 days), with a warning at load.
        Assert.Equal("expiring", before.GetProperty("status").GetString());
        Assert.Equal(1, before.GetProperty("days_until_expiration").GetInt64());
        Assert.NotNull(_proxy.FindLog("certificate expires soon", l => l.Get("secret") == "edge" && l.Get("days_left") == "1"));
        Assert.Matches("meshedge_tls_certificate_expiry_seconds\\{secret=\"edge\"\\} 1[67][0-9]{4}\n", await _proxy.AdminGetAsync("/metrics"));

        var second = await _certificates.IssueAsync("b.example.test", "a.example.test");
        Replace(second);
        var after = await WaitForCertsAsync(c => c.GetProperty("reloads").GetInt64() == 1);

        await using var fresh = await TlsClientConnection.OpenAsync(listener, "a.example.test");
        Assert.NotEqual(held.SerialNumber, fresh.SerialNumber);
        Assert.Equal(fresh.SerialNumber, after.GetProperty("serial_number").GetString());
        Assert.Equal("CN=b.example.test", after.GetProperty("subject").GetString());
        // openssl prints the serial without leading zeros (a random serial starts with 0 one time in 16).
        Assert.Equal(fresh.SerialNumber.TrimStart('0'), await SerialSeenByOpenSslAsync(listener, serverName: null));
        Assert.Contains("200 OK", await held.GetAsync("/after"), StringComparison.Ordinal);
        Assert.Contains("200 OK", await fresh.GetAsync("/fresh"), StringComparison.Ordinal);
        Assert.NotNull(_proxy.FindLog("certificate reloaded", l => l.Get("secret") == "edge"));
        Assert.Contains("meshedge_tls_secret_reloads_total{secret=\"edge\"} 1", await _proxy.AdminGetAsync("/metrics"), StringComparison.Ordinal);
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task After_a_live_config_change_the_listener_still_takes_the_replaced_files()
    {
        // A change elsewhere in the file: the listener's tls table is the same, so it keeps the
        // context the watcher reloads into (a context built anew by the change would be stuck with
        // the files as they were).
        var config = await File.ReadAllTextAsync(_proxy.ConfigPath);
        await LiveConfig.LiveConfigFile.RewriteAsync(_proxy, config.Replace("body = \"ok\"", "body = \"changed\"", StringComparison.Ordinal));
        var listener = _proxy.ListenerAddress();
        await using (var probe = await TlsClientConnection.OpenAsync(listener, "a.example.test"))
        {
            Assert.Contains("changed", await probe.GetAsync("/"), StringComparison.Ordinal);
        }

        var second = await _certificates.IssueAsync("b.example.test", "a.example.test");
        Replace(second);
        var after = await WaitForCertsAsync(c => c.GetProperty("reloads").GetInt64() == 1);

        Assert.Equal(after.GetProperty("serial_number").GetString()!.TrimStart('0'), await SerialSeenByOpenSslAsync(listener, "a.example.test"));
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_listener_added_live_serving_the_secret_takes_the_replaced_files_too()
    {
        var config = await File.ReadAllTextAsync(_proxy.ConfigPath);
        var added = config.Replace("[[secrets]]", """
            [[listeners]]
            name = "added"
            address = "127.0.0.1:0"
            protocol = "http"
            [[listeners.http.virtual_hosts]]
            name = "all"
            domains = ["*"]
            routes = [{ match = { prefix = "/" }, direct_response = { status = 200, body = "added" } }]
            [listeners.tls]
            [[listeners.tls.certificates]]
            secret = "edge"

            [[secrets]]
            """, StringComparison.Ordinal);
        Assert.NotEqual(config, added);
        await LiveConfig.LiveConfigFile.RewriteAsync(_proxy, added);
        var listener = _proxy.ListenerAddress("added");
        var users = (await CertsAsync()).GetProperty("listeners").EnumerateArray().Select(l => l.GetString()!).ToArray();
        Assert.Equal<string[]>(["inbound", "added"], users);

        var second = await _certificates.IssueAsync("b.example.test", "a.example.test");
        Replace(second);
        var after = await WaitForCertsAsync(c => c.GetProperty("reloads").GetInt64() == 1);

        Assert.Equal(after.GetProperty("serial_number").GetString()!.TrimStart('0'), await SerialSeenByOpenSslAsync(listener, "a.example.test"));
        Assert.Equal(after.GetProperty("serial_number").GetString()!.TrimStart('0'), await SerialSeenByOpenSslAsync(_proxy.ListenerAddress(), "a.example.test"));
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task A_key_that_does_not_match_keeps_the_old_certificate_and_says_why()
    {
        var listener = _proxy.ListenerAddress();
        var before = (await TlsClientConnection.OpenAsync(listener, "a.example.test")).SerialNumber;
        var other = await _certificates.IssueAsync("b.example.test");

        File.Copy(other.Key, LiveKey, overwrite: true);
        var failed = await WaitForCertsAsync(c => c.GetProperty("reload_failures").GetInt64() == 1);

        Assert.Contains("does not match the certificate", failed.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, failed.GetProperty("serial_number").GetString());
        await using var fresh = await TlsClientConnection.OpenAsync(listener, "a.example.test");
        Assert.Equal(before, fresh.SerialNumber);
        Assert.Contains("200 OK", await fresh.GetAsync("/still"), StringComparison.Ordinal);
        Assert.NotNull(_proxy.FindLog("certificate reload failed, keeping the one in use", l => l.Get("secret") == "edge"));
        Assert.Contains("meshedge_tls_secret_reload_failures_total{secret=\"edge\"} 1", await _proxy.AdminGetAsync("/metrics"), StringComparison.Ordinal);
        await _proxy.StopCleanlyAsync();
    }

    [Fact]
    public async Task Rotating_under_wrk_load_fails_no_request_and_new_handshakes_show_the_new_serial()
    {
        var listener = _proxy.ListenerAddress();
        var url = $"https://{listener}/";

        // Keep-alive connections made before the first rotation, and one full handshake per request throughout.
        var keepAlive = ToolRun.RunAsync("wrk", ["-t", "1", "-c", "8", "-d", "12s", url]);
        var handshakes = ToolRun.RunAsync("wrk", ["-t", "1", "-c", "2", "-d", "12s", "-H", "Connection: close", url]);
        for (var i = 1; i <= 3; i++)
        {
            await Task.Delay(1500);
            var next = await _certificates.IssueAsync($"r{i}.example.test", "a.example.test");
            Replace(next);
            var reloaded = await WaitForCertsAsync(c => c.GetProperty("reloads").GetInt64() == i);
            var serial = await SerialSeenByOpenSslAsync(listener, "a.example.test");
            Assert.Equal(reloaded.GetProperty("serial_number").GetString()!.TrimStart('0'), serial);
        }

        foreach (var run in new[] { await keepAlive, await handshakes })
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.DoesNotContain("Socket errors", run.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("Non-2xx", run.Stdout, StringComparison.Ordinal);
            Assert.Matches(@"[1-9]\d* requests in", run.Stdout);
            output.WriteLine(run.Stdout);
        }

        Assert.Equal(0, (await CertsAsync()).GetProperty("reload_failures").GetInt64());
        await _proxy.StopCleanlyAsync();
    }

    /// <summary>
    /// The serial of the certificate a new openssl s_client handshake gets, lower-case hex as /certs
    /// shows it; without <paramref name="serverName"/> the client sends no SNI (the context taken at accept serves it).
    /// </summary>
    private async Task<string> SerialSeenByOpenSslAsync(System.Net.IPEndPoint listener, string? serverName)
    {
        var sni = serverName is null ? "-noservername" : "-servername " + serverName;
        var run = await ToolRun.RunAsync("sh", ["-c", $"openssl s_client -connect \"$1\" {sni} < /dev/null 2>/dev/null | openssl x509 -noout -serial", "serial", listener.ToString()]);
        Assert.True(run.ExitCode == 0 && run.Stdout.StartsWith("serial=", StringComparison.Ordinal), run.ToString());
        return run.Stdout["serial=".Length..].Trim().ToLowerInvariant().TrimStart('0');
    }

    /// <summary>Both files replaced by rename (as a deploy tool does), the key first.</summary>
    private void Replace((string Chain, string Key) files)
    {
        File.Copy(files.Key, LiveKey + ".new");
        File.Copy(files.Chain, LiveChain + ".new");
        File.Move(LiveKey + ".new", LiveKey, overwrite: true);
        File.Move(LiveChain + ".new", LiveChain, overwrite: true);
    }

    private async Task<JsonElement> CertsAsync()
    {
        using var certs = JsonDocument.Parse(await _proxy.AdminGetAsync("/certs"));
        var entry = Assert.Single(certs.RootElement.GetProperty("certificates").EnumerateArray());
        Assert.Equal("edge", entry.GetProperty("name").GetString());
        return entry.Clone();
    }

    private async Task<JsonElement> WaitForCertsAsync(Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + ReloadDeadline;
        JsonElement certs;
        do
        {
            certs = await CertsAsync();
            if (done(certs))
            {
                return certs;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail("/certs never showed the reload: " + certs);
        return certs;
    }
}
