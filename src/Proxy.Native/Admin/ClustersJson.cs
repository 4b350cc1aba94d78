using MeshEdge.Native.Upstream;

namespace MeshEdge.Native.Admin;

/// <summary>/clusters: each cluster's type, policy, circuit breakers (limits and current counts) and routing, and each host's address, weight, priority, health and load.</summary>
internal static class ClustersJson
{
    public static byte[] Write(AdminState state) => JsonDocumentWriter.Write(json =>
    {
        json.WriteStartArray();
        foreach (var cluster in state.Snapshot.Clusters)
        {
            json.WriteStartObject();
            json.WriteString("name", cluster.Name);
            json.WriteString("type", SnakeCase.Of(cluster.Config.Type.ToString()));
            json.WriteString("lb_policy", SnakeCase.Of(cluster.Config.LbPolicy.ToString()));
            json.WriteNumber("connections", cluster.Connections.Open);
            json.WriteNumber("max_connections", cluster.Connections.Max);
            WriteBreakers(json, cluster);
            var snapshot = cluster.Snapshot;
            json.WriteBoolean("panic", snapshot.Panic.Contains(true));
            json.WriteNumber("hosts_version", snapshot.Set.Version);
            json.WriteNumber("healthy_hosts", snapshot.HealthyCount);
            json.WriteNumber("outlier_ejections_total", cluster.Outliers?.EjectionsTotal ?? 0);
            json.WriteNumber("success_rate_ejections_total", cluster.Outliers?.SuccessRateEjections ?? 0);
            WritePriorities(json, snapshot);
            json.WriteStartArray("hosts");
            foreach (var host in snapshot.Set.Hosts)
            {
                json.WriteStartObject();
                json.WriteString("address", host.Name);
                if (host.Hostname is { } hostname)
                {
                    json.WriteString("hostname", hostname);
                }

                json.WriteNumber("weight", host.Weight);
                json.WriteNumber("priority", host.Priority);
                json.WriteString("health", host.PassesChecks ? "healthy" : "unhealthy");
                json.WriteBoolean("ejected", host.IsEjected);
                json.WriteNumber("active_requests", host.ActiveRequests);
                json.WriteNumber("connections", host.Connections);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    /// <summary>Each priority level present: its share of the load and whether it is in panic.</summary>
    private static void WritePriorities(System.Text.Json.Utf8JsonWriter json, HostSnapshot snapshot)
    {
        json.WriteStartArray("priorities");
        var previous = 0;
        for (var level = 0; level < snapshot.Routable.Length; level++)
        {
            json.WriteStartObject();
            json.WriteNumber("priority", snapshot.Set.Levels[level][0].Priority);
            json.WriteNumber("hosts", snapshot.Set.Levels[level].Length);
            json.WriteNumber("load_percent", snapshot.CumulativeLoad[level] - previous);
            json.WriteBoolean("panic", snapshot.Panic[level]);
            json.WriteEndObject();
            previous = snapshot.CumulativeLoad[level];
        }

        json.WriteEndArray();
    }

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
