namespace MeshEdge.Functional.Tests.Harness;

/// <summary>Reads from the admin API; the config must have one (<see cref="ProxyConfig.AdminAddress"/> or an [admin] table).</summary>
internal sealed partial class ProxyProcess
{
    private static readonly HttpClient AdminHttp = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>GET <paramref name="path"/> on the admin listener; the body of a 200.</summary>
    public Task<string> AdminGetAsync(string path) => AdminHttp.GetStringAsync($"http://{ListenerAddress("admin")}{path}");

    /// <summary>/stats "per_worker", ordered by worker id.</summary>
    public async Task<WorkerCounters[]> WorkerCountersAsync() =>
        [.. WorkerCounters.Parse(await AdminStatsAsync()).OrderBy(worker => worker.Worker)];
}
