using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;
using static MeshEdge.Functional.Tests.ForeignConfig.EnvoyConfigText;

namespace MeshEdge.Functional.Tests.ForeignConfig;

/// <summary>The AOT binary run on an Envoy v3 bootstrap: curl through its HTTP listener, bytes through its
/// tcp_proxy listener, its admin API, and the warnings it logs for what it leaves out.</summary>
public sealed class EnvoyBootstrapProxyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task HttpAndTcpListenersProxyAndTheAdminAnswers()
    {
        await using var http = HttpBackend.Start();
        await using var echo = EchoServer.Start();
        var bootstrap = Bootstrap(
            HttpListener("http_ingress", "web") + "," + TcpListener("tcp_ingress", "echo"),
            Cluster("web", http.EndPoint) + "," + Cluster("echo", echo.EndPoint));
        await using var proxy = await ProxyProcess.StartWithFileAsync("envoy.json", bootstrap, output);

        var listener = proxy.ListenerAddress("http_ingress");
        var routed = await ToolRun.CurlAsync($"http://{listener}/hello");
        var local = await ToolRun.CurlAsync($"http://{listener}/healthz");
        using (var socket = await Loopback.ConnectAsync(proxy.ListenerAddress("tcp_ingress")))
        {
            await Loopback.AssertEchoesAsync(socket, "through the envoy tcp_proxy listener");
        }

        Assert.True(routed.ExitCode == 0 && routed.Stdout == "ok /hello", routed.ToString());
        Assert.True(local.ExitCode == 0 && local.Stdout == "envoy-config-ok", local.ToString());
        Assert.Equal("LIVE\n", await proxy.AdminGetAsync("/ready"));
        var dump = await proxy.AdminGetAsync("/config_dump");
        Assert.Contains("\"http_ingress\"", dump, StringComparison.Ordinal);
        Assert.Contains("\"tcp_ingress\"", dump, StringComparison.Ordinal);
        Assert.Null(proxy.FindLog("config key not supported"));
        await proxy.StopCleanlyAsync();
        Assert.True(http.Accepted >= 1 && echo.Accepted == 1, $"http accepted {http.Accepted}, echo accepted {echo.Accepted}");
    }

    [Fact]
    public async Task AYamlBootstrapWithUnsupportedPartsRunsAndLogsEachAsAWarning()
    {
        await using var http = HttpBackend.Start();
        var yaml = $$"""
            admin:
              address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
            stats_config:
              use_all_default_tags: false
            static_resources:
              listeners:
              - name: web
                address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                listener_filters:
                - name: envoy.filters.listener.http_inspector
                filter_chains:
                - filters:
                  - name: envoy.filters.network.http_connection_manager
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                      stat_prefix: web
                      route_config:
                        virtual_hosts:
                        - name: all
                          domains: ["*"]
                          routes:
                          - match: { prefix: / }
                            route: { cluster: web }
                      http_filters:
                      - name: envoy.filters.http.router
                        typed_config:
                          "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
              clusters:
              - name: web
                connect_timeout: 1s
                load_assignment:
                  cluster_name: web
                  endpoints:
                  - lb_endpoints:
                    - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: {{http.EndPoint.Port}} } } }
            """;
        await using var proxy = await ProxyProcess.StartWithFileAsync("envoy.yaml", yaml, output);

        var curl = await ToolRun.CurlAsync($"http://{proxy.ListenerAddress("web")}/from-yaml");

        Assert.True(curl.ExitCode == 0 && curl.Stdout == "ok /from-yaml", curl.ToString());
        var warned = proxy.StderrLines.Where(l => l.Get("msg") == "config key not supported").Select(l => l.Get("path")).ToList();
        Assert.Equal(["static_resources.listeners[0].listener_filters", "stats_config"], warned);
        await proxy.StopCleanlyAsync();
    }
}
