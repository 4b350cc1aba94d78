using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;
using static MeshEdge.Config.Tests.Envoy.EnvoyBootstrapText;

namespace MeshEdge.Config.Tests.Envoy;

public sealed class EnvoyBootstrapTranslationTests
{
    private static ConfigLoadResult Load(string json) => ConfigLoader.LoadJson(json, "envoy.json");

    [Fact]
    public void Http_and_tcp_listeners_clusters_admin_and_node_are_translated()
    {
        var json = Bootstrap(
            Listener(HttpFilter(Route()), 10000) + "," + Listener(TcpFilter(), 10001),
            Cluster(extra: """, "lb_policy": "LEAST_REQUEST" """),
            top: """
                "node": { "id": "sidecar~10.0.0.1~a.ns~ns.svc.cluster.local", "cluster": "a", "metadata": { "ISTIO_VERSION": "1.24", "LABELS": { "app": "a" } } },
                "admin": { "address": { "socket_address": { "address": "127.0.0.1", "port_value": 9901 } } },
                """);

        var result = Load(json);
        var config = LoadAssert.Succeeds(result);

        Assert.Equal(2, config.Listeners.Length);
        var http = config.Listeners[0];
        Assert.Equal(("l10000", "127.0.0.1:10000", ListenerProtocol.Http), (http.Name, http.Address.ToString(), http.Protocol));
        var route = Assert.Single(Assert.Single(http.Http!.VirtualHosts).Routes);
        Assert.Equal("backend", route.Cluster);
        var tcp = config.Listeners[1];
        Assert.Equal((ListenerProtocol.Tcp, "backend"), (tcp.Protocol, tcp.TcpProxy.Cluster));
        var cluster = Assert.Single(config.Clusters);
        Assert.Equal((ClusterType.Static, LoadBalancerPolicy.LeastRequest, TimeSpan.FromMilliseconds(250)), (cluster.Type, cluster.LbPolicy, cluster.ConnectTimeout));
        Assert.Equal("127.0.0.1:8080", Assert.Single(cluster.Hosts).Address.ToString());
        Assert.Equal("127.0.0.1:9901", config.Admin!.Address.ToString());
        Assert.Equal("sidecar~10.0.0.1~a.ns~ns.svc.cluster.local", config.Node!.Id);
        Assert.Contains(new KeyValuePair<string, string>("LABELS.app", "a"), config.Node.Metadata);
        Assert.Null(config.Ads);
        Assert.Equal("Envoy v3 bootstrap", result.Translation!.Format);
        Assert.Empty(result.Translation.Unsupported);
    }

    [Fact]
    public void Route_matches_and_actions_are_translated()
    {
        var routes = string.Join(",",
            Route("""{ "path": "/healthz" }""", """ "direct_response": { "status": 204, "body": { "inline_string": "fine" } }"""),
            Route("""{ "prefix": "/old/" }""", """ "redirect": { "https_redirect": true, "host_redirect": "new.example", "response_code": "PERMANENT_REDIRECT" }"""),
            Route("""{ "safe_regex": { "google_re2": {}, "regex": "/v[0-9]+/.*" }, "headers": [ { "name": "X-Canary", "string_match": { "exact": "1" } }, { "name": "x-debug", "present_match": true } ] }""",
                """ "route": { "weighted_clusters": { "clusters": [ { "name": "backend", "weight": 90 }, { "name": "canary", "weight": 10 } ] }, "timeout": "3s", "retry_policy": { "retry_on": "5xx,connect-failure", "num_retries": 2, "per_try_timeout": "1s" }, "prefix_rewrite": "/" }"""),
            Route(action: """ "route": { "cluster": "backend", "hash_policy": [ { "header": { "header_name": "x-user" } } ] }, "request_headers_to_add": [ { "header": { "key": "x-edge", "value": "meshedge" } } ], "response_headers_to_remove": ["server"] """));
        var config = LoadAssert.Succeeds(Load(Bootstrap(Listener(HttpFilter(routes)), Cluster() + "," + Cluster("canary", port: 8081))));

        var translated = Assert.Single(config.Listeners[0].Http!.VirtualHosts).Routes;
        Assert.Equal(new DirectResponseConfig(204, "fine"), translated[0].DirectResponse);
        Assert.Equal((PathMatchKind.Exact, "/healthz"), (translated[0].Match.PathKind, translated[0].Match.PathValue));
        Assert.Equal(new RedirectConfig(308, "https", "new.example", null), translated[1].Redirect);
        var weighted = translated[2];
        Assert.Equal((PathMatchKind.Regex, "/v[0-9]+/.*"), (weighted.Match.PathKind, weighted.Match.PathValue));
        Assert.Equal([new ValueMatchConfig("x-canary", ValueMatchKind.Exact, "1"), new ValueMatchConfig("x-debug", ValueMatchKind.Present, "")], weighted.Match.Headers.ToArray());
        Assert.Equal([new WeightedClusterConfig("backend", 90), new WeightedClusterConfig("canary", 10)], weighted.WeightedClusters.ToArray());
        Assert.Equal((TimeSpan.FromSeconds(3), "/"), (weighted.Timeout, weighted.PrefixRewrite));
        Assert.Equal((RetryOn.ServerError | RetryOn.ConnectFailure, 2, TimeSpan.FromSeconds(1)), (weighted.Retry.On, weighted.Retry.NumRetries, weighted.Retry.PerTryTimeout));
        Assert.Equal(new HashPolicyConfig(HashPolicyKind.Header, "x-user"), translated[3].HashPolicy);
        Assert.Equal([new HeaderValueConfig("x-edge", "meshedge")], translated[3].RequestHeaders.Add.ToArray());
        Assert.Equal(["server"], translated[3].ResponseHeaders.Remove.ToArray());
    }

    [Fact]
    public void Cluster_policies_are_translated_with_envoy_defaults()
    {
        var cluster = Cluster(extra: """
            , "type": "STRICT_DNS", "dns_lookup_family": "V4_ONLY",
            "circuit_breakers": { "thresholds": [ { "max_connections": 7, "max_retries": 0 }, { "priority": "HIGH", "max_connections": 9 } ] },
            "outlier_detection": { "consecutive_5xx": 3, "base_ejection_time": "10s" },
            "health_checks": [ { "timeout": "1s", "interval": "2s", "unhealthy_threshold": 3, "healthy_threshold": 2,
              "http_health_check": { "path": "/ready", "expected_statuses": [ { "start": 200, "end": 204 } ] } } ]
            """).Replace("\"type\": \"STATIC\", ", "", StringComparison.Ordinal).Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        var result = Load(Bootstrap(Listener(TcpFilter()), cluster));
        var config = LoadAssert.Succeeds(result);

        var translated = Assert.Single(config.Clusters);
        Assert.Equal(ClusterType.StrictDns, translated.Type);
        Assert.Equal("localhost", Assert.Single(translated.Hosts).Hostname);
        Assert.Equal((7, 1024, 0), (translated.CircuitBreakers.MaxConnections, translated.CircuitBreakers.MaxRequests, translated.CircuitBreakers.MaxRetries));
        var outliers = translated.OutlierDetection!;
        // Envoy does not enforce gateway-failure ejections unless asked (enforcing_consecutive_gateway_failure = 0).
        Assert.Equal((3, 0, TimeSpan.FromSeconds(10)), (outliers.Consecutive5xx, outliers.ConsecutiveGatewayFailure, outliers.BaseEjectionTime));
        var check = translated.HealthCheck!;
        Assert.Equal((HealthCheckType.Http, "/ready", TimeSpan.FromSeconds(2), 3, 2), (check.Type, check.Path, check.Interval, check.UnhealthyThreshold, check.HealthyThreshold));
        Assert.Equal([200, 201, 202, 203], check.ExpectedStatuses.ToArray());
        var unsupported = Assert.Single(result.Translation!.Unsupported);
        Assert.Equal("static_resources.clusters[0].circuit_breakers.thresholds[1]", unsupported.Path);
    }

    [Fact]
    public void Yaml_bootstrap_is_read_like_json_and_errors_carry_lines()
    {
        const string Yaml = """
            static_resources:
              listeners:
              - name: edge
                address: { socket_address: { address: 127.0.0.1, port_value: 10000 } }
                filter_chains:
                - filters:
                  - name: envoy.filters.network.tcp_proxy
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                      stat_prefix: tcp
                      cluster: backend
              clusters:
              - name: backend
                connect_timeout: 1s
                load_assignment:
                  cluster_name: backend
                  endpoints:
                  - lb_endpoints:
                    - endpoint:
                        address:
                          socket_address: { address: 127.0.0.1, port_value: 70000 }
            """;

        var error = LoadAssert.SingleError(ConfigLoader.LoadYaml(Yaml, "envoy.yaml"));

        Assert.Equal("static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address", error.Path);
        Assert.Equal("port 70000 is out of range (1..65535)", error.Reason);
        Assert.Equal(21, error.Line);
        var config = LoadAssert.Succeeds(ConfigLoader.LoadYaml(Yaml.Replace("70000", "8080", StringComparison.Ordinal), "envoy.yaml"));
        Assert.Equal(("edge", "backend"), (config.Listeners[0].Name, config.Listeners[0].TcpProxy.Cluster));
    }

    [Fact]
    public void Camel_case_field_names_are_read_like_proto_names()
    {
        var json = Bootstrap(Listener(TcpFilter()), Cluster()).Replace("socket_address", "socketAddress", StringComparison.Ordinal)
            .Replace("port_value", "portValue", StringComparison.Ordinal).Replace("filter_chains", "filterChains", StringComparison.Ordinal)
            .Replace("load_assignment", "loadAssignment", StringComparison.Ordinal).Replace("lb_endpoints", "lbEndpoints", StringComparison.Ordinal)
            .Replace("typed_config", "typedConfig", StringComparison.Ordinal).Replace("static_resources", "staticResources", StringComparison.Ordinal);

        var config = LoadAssert.Succeeds(Load(json));

        Assert.Equal("127.0.0.1:8080", Assert.Single(Assert.Single(config.Clusters).Hosts).Address.ToString());
    }

    [Fact]
    public void Names_envoy_allows_become_meshedge_names_the_same_way_everywhere()
    {
        var name = "outbound|9080||reviews.default.svc.cluster.local";
        var config = LoadAssert.Succeeds(Load(Bootstrap(Listener(TcpFilter(name)), Cluster(name))));

        Assert.Equal("outbound_9080__reviews.default.svc.cluster.local", Assert.Single(config.Clusters).Name);
        Assert.Equal("outbound_9080__reviews.default.svc.cluster.local", config.Listeners[0].TcpProxy.Cluster);
    }
}
