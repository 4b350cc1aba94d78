using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary>The <c>protocol = "http"</c> listener: virtual hosts, routes, their actions, and the admin table.</summary>
public sealed class HttpConfigTests
{
    private const string Clusters = """

        [[clusters]]
        name = "app"
        hosts = ["127.0.0.1:8080"]
        connection_pool = { idle_timeout = "30s", max_idle_per_host = 8, max_requests_per_connection = 100 }

        [[clusters]]
        name = "canary"
        hosts = ["127.0.0.1:8081"]
        health_check = { type = "http", path = "/healthz", host = "canary.internal", expected_statuses = [200, 204] }
        """;

    private const string FullToml = """
        [admin]

        [[listeners]]
        name = "web"
        address = "127.0.0.1:10000"
        protocol = "http"

        [listeners.http]
        idle_timeout = "90s"
        request_headers_timeout = "5s"
        http2_settings_timeout = "3s"
        max_request_headers_size = "16KiB"
        max_request_body_size = "1MiB"
        generate_request_id = false
        access_log = { path = "stdout" }

        [[listeners.http.virtual_hosts]]
        name = "api"
        domains = ["api.example.com", "*.api.example.com"]

        [[listeners.http.virtual_hosts.routes]]
        match = { prefix = "/v1/", headers = [{ name = "X-Canary", exact = "1" }], query_parameters = [{ name = "debug", present = true }] }
        weighted_clusters = [{ cluster = "app", weight = 90 }, { cluster = "canary", weight = 10 }]
        prefix_rewrite = "/"
        host_rewrite = "backend.local"
        request_headers_to_add = { x-env = "prod" }
        request_headers_to_remove = ["X-Debug"]
        response_headers_to_add = { x-served-by = "meshedge" }
        timeout = "2s"
        retry_policy = { retry_on = ["connect-failure", "5xx"], num_retries = 2, per_try_timeout = "500ms", retriable_status_codes = [409] }

        [[listeners.http.virtual_hosts]]
        name = "rest"
        domains = ["*"]

        [[listeners.http.virtual_hosts.routes]]
        match = { path = "/healthz" }
        direct_response = { status = 200, body = "ok" }

        [[listeners.http.virtual_hosts.routes]]
        match = { regex = "/old/[0-9]+" }
        redirect = { status = 308, path = "/new" }

        [[listeners.http.virtual_hosts.routes]]
        match = { prefix = "/" }
        cluster = "app"
        """ + Clusters;

    [Fact]
    public void A_full_http_listener_binds_every_part()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(FullToml, "http.toml"));

        Assert.Equal(AdminConfig.DefaultAddress, config.Admin!.Address);
        var listener = Assert.Single(config.Listeners);
        Assert.Equal(ListenerProtocol.Http, listener.Protocol);
        var http = listener.Http!;
        Assert.Equal(TimeSpan.FromSeconds(90), http.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), http.RequestHeadersTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), http.Http2SettingsTimeout);
        Assert.Equal(16 * 1024, http.MaxRequestHeadersBytes);
        Assert.Equal(1024 * 1024, http.MaxRequestBodyBytes);
        Assert.False(http.GenerateRequestId);
        Assert.True(http.AddForwardedHeaders);
        Assert.Equal("stdout", http.AccessLog!.Path);

        var api = http.VirtualHosts[0];
        Assert.Equal(["api.example.com", "*.api.example.com"], api.Domains.ToArray());
        var route = Assert.Single(api.Routes);
        Assert.Equal((PathMatchKind.Prefix, "/v1/"), (route.Match.PathKind, route.Match.PathValue));
        Assert.Equal(new ValueMatchConfig("x-canary", ValueMatchKind.Exact, "1"), Assert.Single(route.Match.Headers));
        Assert.Equal(new ValueMatchConfig("debug", ValueMatchKind.Present, ""), Assert.Single(route.Match.QueryParameters));
        Assert.Equal([new WeightedClusterConfig("app", 90), new WeightedClusterConfig("canary", 10)], route.WeightedClusters.ToArray());
        Assert.Equal(("/", "backend.local"), (route.PrefixRewrite, route.HostRewrite));
        Assert.Equal([new HeaderValueConfig("x-env", "prod")], route.RequestHeaders.Add.ToArray());
        Assert.Equal(["x-debug"], route.RequestHeaders.Remove.ToArray());
        Assert.Equal([new HeaderValueConfig("x-served-by", "meshedge")], route.ResponseHeaders.Add.ToArray());
        Assert.Equal(TimeSpan.FromSeconds(2), route.Timeout);
        Assert.Equal(RetryOn.ConnectFailure | RetryOn.ServerError, route.Retry.On);
        Assert.Equal((2, TimeSpan.FromMilliseconds(500)), (route.Retry.NumRetries, route.Retry.PerTryTimeout));
        Assert.Equal([409], route.Retry.RetriableStatusCodes.ToArray());

        var rest = http.VirtualHosts[1].Routes;
        Assert.Equal(new DirectResponseConfig(200, "ok"), rest[0].DirectResponse);
        Assert.Equal((PathMatchKind.Exact, "/healthz"), (rest[0].Match.PathKind, rest[0].Match.PathValue));
        Assert.Equal(new RedirectConfig(308, null, null, "/new"), rest[1].Redirect);
        Assert.Equal(PathMatchKind.Regex, rest[1].Match.PathKind);
        Assert.Equal("app", rest[2].Cluster);
        Assert.Equal(TimeSpan.FromSeconds(15), rest[2].Timeout);
        Assert.Equal(RetryPolicyConfig.None, rest[2].Retry);

        Assert.Equal(new ConnectionPoolConfig(TimeSpan.FromSeconds(30), 8, 100), config.Clusters[0].ConnectionPool);
        Assert.Equal(ConnectionPoolConfig.Default, config.Clusters[1].ConnectionPool);
        var check = config.Clusters[1].HealthCheck!;
        Assert.Equal((HealthCheckType.Http, "/healthz", "canary.internal"), (check.Type, check.Path, check.Host));
        Assert.Equal([200, 204], check.ExpectedStatuses.ToArray());
    }

    [Fact]
    public void Json_binds_the_same_routes()
    {
        const string Json = """
            {
              "admin": { "address": "127.0.0.1:9902" },
              "listeners": [{
                "name": "web", "address": "127.0.0.1:10000", "protocol": "http",
                "http": { "virtual_hosts": [{ "name": "all", "domains": ["*"], "routes": [
                  { "match": { "prefix": "/api", "headers": [{ "name": "x-a", "regex": "v[0-9]" }] }, "cluster": "app",
                    "retry_policy": { "retry_on": ["reset"], "num_retries": 3 } },
                  { "match": { "path": "/ping" }, "direct_response": { "status": 204 } }
                ] }] }
              }],
              "clusters": [{ "name": "app", "hosts": ["127.0.0.1:8080"] }]
            }
            """;

        var config = LoadAssert.Succeeds(ConfigLoader.LoadJson(Json, "http.json"));

        Assert.Equal(9902, config.Admin!.Address.Port);
        var routes = config.Listeners[0].Http!.VirtualHosts[0].Routes;
        Assert.Equal(new ValueMatchConfig("x-a", ValueMatchKind.Regex, "v[0-9]"), Assert.Single(routes[0].Match.Headers));
        Assert.Equal((RetryOn.Reset, 3), (routes[0].Retry.On, routes[0].Retry.NumRetries));
        Assert.Equal(new DirectResponseConfig(204, ""), routes[1].DirectResponse);
    }

    public static TheoryData<string, string> ErrorCases => new()
    {
        { Route("match = { prefix = \"/\" }"), "listeners[0].http.virtual_hosts[0].routes[0]: a route needs exactly one of cluster, weighted_clusters, direct_response and redirect" },
        { Route("match = { prefix = \"/\" }\ncluster = \"app\"\ndirect_response = { status = 200 }"), "listeners[0].http.virtual_hosts[0].routes[0]: a route needs exactly one of cluster, weighted_clusters, direct_response and redirect" },
        { Route("cluster = \"app\""), "listeners[0].http.virtual_hosts[0].routes[0].match: missing required key (e.g. match = { prefix = \"/\" })" },
        { Route("match = { prefix = \"/\" }\ncluster = \"nope\""), "listeners[0].http.virtual_hosts[0].routes[0].cluster: unknown cluster \"nope\"" },
        { Route("match = { prefix = \"/\" }\nweighted_clusters = [{ cluster = \"app\", weight = 1 }, { cluster = \"gone\", weight = 1 }]"), "listeners[0].http.virtual_hosts[0].routes[0].weighted_clusters[1].cluster: unknown cluster \"gone\"" },
        { Route("match = { prefix = \"/\" }\nweighted_clusters = [{ cluster = \"app\", weight = 0 }]"), "listeners[0].http.virtual_hosts[0].routes[0].weighted_clusters: the weights add up to zero" },
        { Route("match = { prefix = \"api\" }\ncluster = \"app\""), "listeners[0].http.virtual_hosts[0].routes[0].match.prefix: \"api\" must start with \"/\"" },
        { Route("match = { prefix = \"/\", path = \"/x\" }\ncluster = \"app\""), "listeners[0].http.virtual_hosts[0].routes[0].match: give only one of prefix, path and regex" },
        { Route("match = { headers = [{ name = \"x\", exact = \"1\", present = true }] }\ncluster = \"app\""), "listeners[0].http.virtual_hosts[0].routes[0].match.headers[0]: give exactly one of exact, prefix, regex, present = true and absent = true" },
        { Route("match = { prefix = \"/\" }\ncluster = \"app\"\nretry_policy = { retry_on = [\"5xx\", \"sometimes\"] }"), "listeners[0].http.virtual_hosts[0].routes[0].retry_policy.retry_on[1]: unknown retry condition \"sometimes\" (expected one of \"connect-failure\", \"reset\", \"5xx\", \"gateway-error\", \"retriable-status-codes\", \"per-try-timeout\")" },
        { Route("match = { prefix = \"/\" }\ncluster = \"app\"\nretry_policy = { num_retries = 2 }"), "listeners[0].http.virtual_hosts[0].routes[0].retry_policy.retry_on: missing required key (e.g. retry_on = [\"connect-failure\", \"5xx\"])" },
        { Route("match = { prefix = \"/\" }\ncluster = \"app\"\nrequest_headers_to_add = { \"bad name\" = \"1\" }"), "listeners[0].http.virtual_hosts[0].routes[0].request_headers_to_add.\"bad name\": not a valid header name" },
        { Route("match = { prefix = \"/\" }\nredirect = { path = \"new\" }"), "listeners[0].http.virtual_hosts[0].routes[0].redirect.path: a redirect path must start with \"/\"" },
        { Route("match = { prefix = \"/\" }\ndirect_response = { status = 99 }"), "listeners[0].http.virtual_hosts[0].routes[0].direct_response.status: 99 is out of range (200..599)" },
        { Route("match = { prefix = \"/\" }\ncluster = \"app\"\ntimout = \"1s\""), "listeners[0].http.virtual_hosts[0].routes[0].timout: unknown key (did you mean \"timeout\"?)" },
        { Head("[listeners.http]\n[[listeners.http.virtual_hosts]]\nname = \"v\"\ndomains = [\"a/b\"]\nroutes = [{ match = { prefix = \"/\" }, cluster = \"app\" }]\n"), "listeners[0].http.virtual_hosts[0].domains[0]: \"a/b\" is not a domain pattern (a host name, \"*.suffix\", \"prefix.*\" or \"*\")" },
        { Head("[listeners.http]\n"), "listeners[0].http.virtual_hosts: at least one virtual host is required" },
        { Route("match = { prefix = \"/\" }\ncluster = \"app\"") + "\n[[clusters]]\nname = \"hc\"\nhosts = [\"127.0.0.1:9\"]\nhealth_check = { path = \"/x\" }\n", "clusters[2].health_check: path, host and expected_statuses need type = \"http\"" },
        { Route("match = { prefix = \"/\" }\ncluster = \"app\"") + "\n[[clusters]]\nname = \"hc\"\nhosts = [\"127.0.0.1:9\"]\nhealth_check = { type = \"http\", path = \"x y\" }\n", "clusters[2].health_check.path: \"x y\" is not a request path (it starts with \"/\" and has no spaces)" },
        { Head(""), "listeners[0].http: missing required table (an \"http\" listener needs one)" },
        { "[admin]\naddress = \"localhost\"\n" + Route("match = { prefix = \"/\" }\ncluster = \"app\""), "admin.address: \"localhost\" is not an IP address and port" },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void A_mistake_in_an_http_listener_gives_one_precise_error(string toml, string expected)
    {
        var errors = LoadAssert.Fails(ConfigLoader.LoadToml(toml, "http.toml"));

        Assert.Equal([expected], errors);
    }

    [Fact]
    public void A_bad_regex_is_a_config_error_not_a_crash()
    {
        var errors = LoadAssert.Fails(ConfigLoader.LoadToml(Route("match = { regex = \"/a(\" }\ncluster = \"app\""), "http.toml"));

        var error = Assert.Single(errors);
        Assert.StartsWith("listeners[0].http.virtual_hosts[0].routes[0].match.regex: invalid regular expression:", error);
    }

    private static string Head(string rest) =>
        "[[listeners]]\nname = \"web\"\naddress = \"127.0.0.1:10000\"\nprotocol = \"http\"\n" + rest + Clusters;

    private static string Route(string route) =>
        Head("[listeners.http]\n[[listeners.http.virtual_hosts]]\nname = \"v\"\n[[listeners.http.virtual_hosts.routes]]\n" + route + "\n");
}
