using System.Net;
using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Tls;

/// <summary>The real TLS clients the tests drive (curl, openssl s_client) and the listener's TLS counters from /stats.</summary>
internal static class TlsPeers
{
    /// <summary>curl to https://<paramref name="serverName"/>:port with the name resolved to the listener and the test CA trusted.</summary>
    public static Task<ToolRun> CurlAsync(TestCertificates certificates, IPEndPoint listener, string serverName, params string[] arguments) =>
        ToolRun.CurlAsync(["--cacert", certificates.CaPath, "--resolve", $"{serverName}:{listener.Port}:127.0.0.1", .. arguments]);

    public static string Url(IPEndPoint listener, string serverName, string path) => $"https://{serverName}:{listener.Port}{path}";

    /// <summary>openssl s_client with its stdin closed (it sends nothing and quits after the handshake), verifying against the test CA.</summary>
    public static Task<ToolRun> SClientAsync(TestCertificates certificates, IPEndPoint listener, params string[] arguments) =>
        ToolRun.RunAsync("sh", ["-c", "exec openssl s_client \"$@\" < /dev/null", "s_client",
            "-connect", listener.ToString(), "-CAfile", certificates.CaPath, "-verify_return_error", .. arguments]);

    /// <summary>The "tls" object of the listener in /stats.</summary>
    public static async Task<JsonElement> StatsAsync(ProxyProcess proxy, string listener = "inbound")
    {
        using var stats = JsonDocument.Parse(await proxy.AdminGetAsync("/stats"));
        return stats.RootElement.GetProperty("listeners").GetProperty(listener).GetProperty("tls").Clone();
    }

    public static long FailuresOf(JsonElement tls, string reason) =>
        tls.GetProperty("handshake_failures_by_reason").GetProperty(reason).GetInt64();

    /// <summary>Polls /stats until the listener has counted <paramref name="expected"/> failures for <paramref name="reason"/>; fails the test with the counters otherwise.</summary>
    public static async Task AssertFailuresReachAsync(ProxyProcess proxy, string reason, long expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        JsonElement tls;
        do
        {
            tls = await StatsAsync(proxy);
            if (FailuresOf(tls, reason) == expected)
            {
                return;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"expected {expected} handshake failures for {reason}, the listener counted: {tls}");
    }
}
