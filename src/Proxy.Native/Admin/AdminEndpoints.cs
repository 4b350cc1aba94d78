namespace MeshEdge.Native.Admin;

/// <summary>The admin API's paths and what each returns. Runs on the thread pool, never on a worker.</summary>
internal static class AdminEndpoints
{
    private static readonly (string Path, string Help)[] Paths =
    [
        ("/ready", "200 while serving, 503 once draining (for load balancers and orchestrators)"),
        ("/healthz", "200 while the process runs (liveness)"),
        ("/metrics", "Prometheus text format: listeners, HTTP requests, clusters, hosts, memory"),
        ("/stats", "the same counters as JSON"),
        ("/listeners", "each listener's protocol and bound address (JSON)"),
        ("/clusters", "each cluster's hosts: address, weight, health (JSON)"),
        ("/config_dump", "the configuration in effect, defaults filled in (JSON)"),
        ("/certs", "each certificate by secret name: subject, SANs, serial, validity, days left, files, last load and error (JSON)"),
        ("/help", "this list"),
    ];

    public static AdminResponse Handle(string path, string query, AdminState state) => path switch
    {
        "/ready" => state.Draining ? AdminResponse.Text(503, "DRAINING\n") : AdminResponse.Text(200, "LIVE\n"),
        "/healthz" => AdminResponse.Text(200, "ok\n"),
        "/metrics" => new AdminResponse(200, "text/plain; version=0.0.4; charset=utf-8", state.Metrics.Export(state.Workers, state.Budget)),
        "/stats" => AdminResponse.Json(StatsJson.Write(state)),
        "/listeners" => AdminResponse.Json(ListenersJson.Write(state)),
        "/clusters" => AdminResponse.Json(ClustersJson.Write(state)),
        "/config_dump" => AdminResponse.Json(ConfigDumpJson.Write(state.Config)),
        "/certs" => AdminResponse.Json(CertsJson.Write(state.Secrets)),
        "/" or "/help" => AdminResponse.Text(200, Help()),
        _ => AdminResponse.Text(404, $"no admin endpoint {path}; see /help\n"),
    };

    private static string Help() =>
        "meshedge admin\n\n" + string.Concat(Paths.Select(p => $"  {p.Path,-14} {p.Help}\n"));
}
