using System.Text.Json;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>Readers of the admin API's JSON (/stats, /mode), shared by the tests that look at its counters.</summary>
internal sealed partial class ProxyProcess
{
    /// <summary>
    /// An admin call on a fresh connection, closed after the answer: a keep-alive one pooled by an
    /// HttpClient would stay on the worker it landed on, and a parked worker with a connection never
    /// rests (standby); each call is activity of its own, seen and gone. Fails unless the answer is 200.
    /// </summary>
    public async Task<JsonElement> AdminJsonAsync(string method, string path)
    {
        using var client = await RawHttpClient.ConnectAsync(ListenerAddress("admin"));
        await client.SendAsync(HttpExchange.Request(method, path, "admin", "content-length: 0", "connection: close"));
        var response = await client.ReadResponseAsync();
        Assert.True(response.Status == 200, $"{method} {path}: {response.Status} {response.BodyText}");
        using var document = JsonDocument.Parse(response.Body);
        return document.RootElement.Clone();
    }

    /// <summary>/stats as JSON.</summary>
    public Task<JsonElement> AdminStatsAsync() => AdminJsonAsync("GET", "/stats");

    /// <summary>/stats "listeners" entry for <paramref name="listener"/>: its counters summed over the workers.</summary>
    public async Task<JsonElement> AdminListenerStatsAsync(string listener) =>
        (await AdminStatsAsync()).GetProperty("listeners").GetProperty(listener);

    /// <summary>/stats "memory": the pools, the budget, the overload stages, the idle trim.</summary>
    public async Task<JsonElement> AdminMemoryAsync() => (await AdminStatsAsync()).GetProperty("memory");

    /// <summary>Polls /stats every 100 ms until its "memory" object satisfies <paramref name="done"/>; fails after <paramref name="patience"/>.</summary>
    public async Task<JsonElement> PollMemoryAsync(Func<JsonElement, bool> done, string what, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var memory = await AdminMemoryAsync();
            if (done(memory))
            {
                return memory;
            }

            Assert.True(DateTime.UtcNow < deadline, $"waited {patience.TotalSeconds}s for {what}; last /stats memory: {memory}\n{Describe()}");
            await Task.Delay(100);
        }
    }
}
