using System.Text.Json;
using MeshEdge.Config.Model;

namespace MeshEdge.Native.Admin;

/// <summary>The <c>http</c> part of /config_dump: limits, virtual hosts and every route.</summary>
internal static class HttpConfigDumpJson
{
    public static void Write(Utf8JsonWriter json, HttpConfig http)
    {
        json.WriteStartObject("http");
        json.WriteNumber("idle_timeout_s", http.IdleTimeout.TotalSeconds);
        json.WriteNumber("request_headers_timeout_s", http.RequestHeadersTimeout.TotalSeconds);
        json.WriteNumber("max_request_headers_size", http.MaxRequestHeadersBytes);
        json.WriteNumber("max_request_body_size", http.MaxRequestBodyBytes);
        json.WriteBoolean("add_forwarded_headers", http.AddForwardedHeaders);
        json.WriteBoolean("generate_request_id", http.GenerateRequestId);
        json.WriteStartArray("virtual_hosts");
        foreach (var host in http.VirtualHosts)
        {
            json.WriteStartObject();
            json.WriteString("name", host.Name);
            json.WriteStartArray("domains");
            foreach (var domain in host.Domains)
            {
                json.WriteStringValue(domain);
            }

            json.WriteEndArray();
            json.WriteStartArray("routes");
            foreach (var route in host.Routes)
            {
                WriteRoute(json, route);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteRoute(Utf8JsonWriter json, RouteConfig route)
    {
        json.WriteStartObject();
        json.WriteStartObject("match");
        json.WriteString(route.Match.PathKind switch
        {
            PathMatchKind.Exact => "path",
            PathMatchKind.Regex => "regex",
            _ => "prefix",
        }, route.Match.PathValue);
        WriteConditions(json, "headers", route.Match.Headers);
        WriteConditions(json, "query_parameters", route.Match.QueryParameters);
        json.WriteEndObject();
        ConfigDumpJson.WriteIfSet(json, "cluster", route.Cluster);
        if (!route.WeightedClusters.IsEmpty)
        {
            json.WriteStartArray("weighted_clusters");
            foreach (var weighted in route.WeightedClusters)
            {
                json.WriteStartObject();
                json.WriteString("cluster", weighted.Cluster);
                json.WriteNumber("weight", weighted.Weight);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (route.DirectResponse is { } direct)
        {
            json.WriteStartObject("direct_response");
            json.WriteNumber("status", direct.Status);
            json.WriteString("body", direct.Body);
            json.WriteEndObject();
        }

        if (route.Redirect is { } redirect)
        {
            json.WriteStartObject("redirect");
            json.WriteNumber("status", redirect.Status);
            ConfigDumpJson.WriteIfSet(json, "scheme", redirect.Scheme);
            ConfigDumpJson.WriteIfSet(json, "host", redirect.Host);
            ConfigDumpJson.WriteIfSet(json, "path", redirect.Path);
            json.WriteEndObject();
        }

        ConfigDumpJson.WriteIfSet(json, "prefix_rewrite", route.PrefixRewrite);
        ConfigDumpJson.WriteIfSet(json, "host_rewrite", route.HostRewrite);
        json.WriteNumber("timeout_s", route.Timeout.TotalSeconds);
        if (route.Retry.On != RetryOn.None)
        {
            json.WriteStartObject("retry_policy");
            json.WriteString("retry_on", route.Retry.On.ToString());
            json.WriteNumber("num_retries", route.Retry.NumRetries);
            json.WriteNumber("per_try_timeout_s", route.Retry.PerTryTimeout.TotalSeconds);
            json.WriteEndObject();
        }

        if (route.HashPolicy is { } hash)
        {
            json.WriteStartObject("hash_policy");
            if (hash.Kind == HashPolicyKind.SourceIp)
            {
                json.WriteBoolean("source_ip", true);
            }
            else
            {
                json.WriteString(hash.Kind == HashPolicyKind.Header ? "header" : "cookie", hash.Name);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteConditions(Utf8JsonWriter json, string key, System.Collections.Immutable.ImmutableArray<ValueMatchConfig> conditions)
    {
        if (conditions.IsEmpty)
        {
            return;
        }

        json.WriteStartArray(key);
        foreach (var condition in conditions)
        {
            json.WriteStartObject();
            json.WriteString("name", condition.Name);
            json.WriteString(condition.Kind.ToString().ToLowerInvariant(), condition.Kind is ValueMatchKind.Present or ValueMatchKind.Absent ? "true" : condition.Value);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
