namespace MeshEdge.Native.Admin;

/// <summary>/clusters: each cluster's policy and limits, and each host's address, weight and health.</summary>
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
}
