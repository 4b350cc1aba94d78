using System.Diagnostics;
using System.Text.Json;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>Waits on the circuit breakers' live counts in /clusters: a test waits for a state, not for a time.</summary>
internal sealed partial class ProxyProcess
{
    /// <summary>
    /// Polls /clusters until the first cluster's breaker count <paramref name="name"/> (requests,
    /// pending_requests, retries) reads <paramref name="value"/>; false if <paramref name="patience"/> passes first.
    /// </summary>
    public async Task<bool> WaitForBreakerCountAsync(string name, int value, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < patience)
        {
            using var clusters = JsonDocument.Parse(await AdminGetAsync("/clusters"));
            if (clusters.RootElement[0].GetProperty("circuit_breakers").GetProperty(name).GetInt32() == value)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
