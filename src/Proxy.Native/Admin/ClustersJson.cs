namespace MeshEdge.Native.Admin;

/// <summary>/clusters: each cluster's policy, circuit breakers (limits and current counts), and each host's address, weight and health.</summary>
internal static class ClustersJson
{
    public static byte[] Write(AdminState state) => JsonDocumentWriter.Write(json =>
    {
        json.WriteStartArray();
        foreach (var cluster in state.Snapshot.Clusters)
        {
            json.WriteStartObject();
            json.WriteString("name", cluster.Name);
            json.WriteString("lb_policy", SnakeCase.Of(cluster.Config.LbPolicy.ToString()));
            json.WriteNumber("connections", cluster.Connections.Open);
            json.WriteNumber("max_connections", cluster.Connections.Max);
            WriteBreakers(json, cluster);
            json.WriteBoolean("panic", !cluster.Health.Steers);
            json.WriteNumber("outlier_ejections_total", cluster.Outliers?.EjectionsTotal ?? 0);
            json.WriteStartArray("hosts");
            for (var h = 0; h < cluster.Hosts.Length; h++)
            {
                json.WriteStartObject();
                json.WriteString("address", cluster.Hosts[h].ToString());
                json.WriteNumber("weight", cluster.Weights[h]);
                json.WriteString("health", cluster.Health.PassesChecks(h) ? "healthy" : "unhealthy");
                json.WriteBoolean("ejected", cluster.Health.IsEjected(h));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    /// <summary>Each circuit breaker's limit and what it counts now, over all workers.</summary>
    private static void WriteBreakers(System.Text.Json.Utf8JsonWriter json, Upstream.ClusterRuntime cluster)
    {
        var breakers = cluster.Breakers;
        json.WriteStartObject("circuit_breakers");
        json.WriteNumber("max_connections", cluster.Connections.Max);
        json.WriteNumber("connections", cluster.Connections.Open);
        json.WriteNumber("max_pending_requests", breakers.PendingRequests.Max);
        json.WriteNumber("pending_requests", breakers.PendingRequests.Count);
        json.WriteNumber("max_requests", breakers.Requests.Max);
        json.WriteNumber("requests", breakers.Requests.Count);
        json.WriteNumber("max_retries", breakers.Retries.Max);
        json.WriteNumber("retries", breakers.Retries.Count);
        json.WriteEndObject();
    }
}
