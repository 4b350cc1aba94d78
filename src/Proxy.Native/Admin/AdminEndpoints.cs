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
        ("/mode", "active or standby (JSON); POST /mode?value=standby|active switches"),
        ("POST /reload", "reread the config file and apply it live (200 applied, 400 refused with the reason)"),
        ("/certs", "each certificate and CA by secret name: source, subject, SANs, serial, validity, days left, files, last load and error (JSON)"),
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
        "/config_dump" => AdminResponse.Json(ConfigDumpJson.Write(state.Config, state.LiveConfig)),
        ModeEndpoint.Path => ModeEndpoint.Get(state),
        "/certs" => AdminResponse.Json(CertsJson.Write(state.Secrets, state.Config)),
        "/" or "/help" => AdminResponse.Text(200, Help()),
        _ => AdminResponse.Text(404, $"no admin endpoint {path}; see /help\n"),
    };

    /// <summary>The admin API's one write: POST /reload (Envoy has no equivalent; the name says what it does).</summary>
    public static AdminResponse HandlePost(string path, string query, AdminState state) => path switch
    {
        ModeEndpoint.Path => ModeEndpoint.Post(query, state),
        "/reload" when state.Reload is { } reload => reload() is { } error
            ? AdminResponse.Text(400, $"rejected: {error}\n")
            : AdminResponse.Text(200, "applied\n"),
        "/reload" => AdminResponse.Text(503, "reload unavailable: the config did not come from a file, or the process is starting\n"),
        _ => AdminResponse.Text(405, "the admin API is read-only but for POST /mode and /reload: use GET\n"),
    };

    private static string Help() =>
        "meshedge admin\n\n" + string.Concat(Paths.Select(p => $"  {p.Path,-14} {p.Help}\n"));
}
