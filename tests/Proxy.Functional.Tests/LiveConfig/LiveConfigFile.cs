using System.Text.Json;
using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.LiveConfig;

/// <summary>Rewrites a running proxy's config file (whole, by rename, as an editor does) and reads what live configuration reports.</summary>
internal static class LiveConfigFile
{
    public static readonly TimeSpan ApplyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Replaces the config and waits until the watcher's "config applied" (or "config rejected") line for it.</summary>
    /// <param name="fileName">The config file's name: another than <c>meshedge.toml</c> for a foreign config (<c>envoy.json</c>).</param>
    public static async Task<LogLine> RewriteAsync(ProxyProcess proxy, string toml, string outcome = "config applied", string fileName = "meshedge.toml")
    {
        var before = proxy.FindLogs(outcome).Count;
        var path = proxy.ConfigFile(fileName);
        var staging = path + ".new";
        await File.WriteAllTextAsync(staging, toml);
        File.Move(staging, path, overwrite: true);
        var arrived = await Progress.WaitUntilAsync(() => proxy.FindLogs(outcome).Count > before, ApplyTimeout);
        Assert.True(arrived, $"no \"{outcome}\" line within {ApplyTimeout.TotalSeconds}s of rewriting {path}\n{proxy.Describe()}");
        return proxy.FindLogs(outcome)[^1];
    }

    /// <summary>/config_dump's "live" object for <paramref name="type"/> (listeners, clusters, routes).</summary>
    public static async Task<JsonElement> LiveStateAsync(ProxyProcess proxy, string type)
    {
        using var dump = JsonDocument.Parse(await proxy.AdminGetAsync("/config_dump"));
        return dump.RootElement.GetProperty("live").GetProperty(type).Clone();
    }

    /// <summary>/stats: a listener's downstream connections accepted so far.</summary>
    public static async Task<long> AcceptedAsync(ProxyProcess proxy, string listener)
    {
        using var stats = JsonDocument.Parse(await proxy.AdminGetAsync("/stats"));
        return stats.RootElement.GetProperty("listeners").GetProperty(listener).GetProperty("cx_total").GetInt64();
    }
}
