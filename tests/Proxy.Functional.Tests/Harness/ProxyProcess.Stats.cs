using System.Text.Json;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>Readers of the admin API's /stats, shared by the tests that look at its counters.</summary>
internal sealed partial class ProxyProcess
{
    /// <summary>/stats as JSON, detached from its document.</summary>
    public async Task<JsonElement> AdminStatsAsync()
    {
        using var stats = JsonDocument.Parse(await AdminGetAsync("/stats"));
        return stats.RootElement.Clone();
    }

    /// <summary>/stats "listeners" entry for <paramref name="listener"/>: its counters summed over the workers.</summary>
    public async Task<JsonElement> AdminListenerStatsAsync(string listener) =>
        (await AdminStatsAsync()).GetProperty("listeners").GetProperty(listener);
}
