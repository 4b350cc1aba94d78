using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;
using MeshEdge.Functional.Tests.Tls;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.LiveConfig;

/// <summary>
/// A live change refused because a certificate does not load frees the OpenSSL contexts it had
/// already built for it (/certs counts the listener contexts alive): the earlier certificates of the
/// same listener, and the listeners before it in the file.
/// </summary>
public sealed class LiveConfigTlsRefusalTests(ITestOutputHelper output)
{
    private const string Http = """
        [[listeners.http.virtual_hosts]]
        name = "all"
        domains = ["*"]
        routes = [{ match = { prefix = "/" }, direct_response = { status = 200, body = "ok" } }]
        """;

    [Fact]
    public async Task A_change_refused_for_a_certificate_that_does_not_load_leaves_no_context_behind()
    {
        using var certificates = await TestCertificates.CreateAsync();
        var first = await certificates.IssueAsync("a.test");
        var second = await certificates.IssueAsync("b.test");
        var missing = (second.Chain, Key: certificates.PathOf("missing.key"));
        await using var proxy = await ProxyProcess.StartTomlAsync(TlsToml.Config(Http, TlsToml.Certificate(first, "a.test")), output);
        Assert.Equal(1, await LiveContextsAsync(proxy));

        // The listener's 2nd certificate fails: its 1st (a new context) was built before.
        var rejected = await LiveConfigFile.RewriteAsync(proxy, TlsToml.Config(Http, TlsToml.Certificate(second, "b.test") + TlsToml.Certificate(missing, "c.test")), "config rejected");
        Assert.Contains("missing.key", rejected.Raw, StringComparison.Ordinal);
        Assert.Equal(1, await LiveContextsAsync(proxy));

        // A 2nd listener's certificate fails: the 1st listener's new context was built before.
        var extra = $"""

            [[listeners]]
            name = "extra"
            address = "127.0.0.1:0"
            protocol = "http"
            [listeners.http]
            {Http}
            [listeners.tls]
            {TlsToml.Certificate(missing, "d.test")}
            """;
        rejected = await LiveConfigFile.RewriteAsync(proxy, TlsToml.Config(Http, TlsToml.Certificate(second, "b.test")) + extra, "config rejected");
        Assert.Contains("missing.key", rejected.Raw, StringComparison.Ordinal);
        Assert.Equal(1, await LiveContextsAsync(proxy));

        await using (var connection = await TlsClientConnection.OpenAsync(proxy.ListenerAddress(), "a.test"))
        {
            Assert.Contains("200 OK", await connection.GetAsync("/"), StringComparison.Ordinal);
        }

        await proxy.StopCleanlyAsync();
    }

    private static async Task<long> LiveContextsAsync(ProxyProcess proxy)
    {
        using var certs = JsonDocument.Parse(await proxy.AdminGetAsync("/certs"));
        return certs.RootElement.GetProperty("live_server_contexts").GetInt64();
    }
}
