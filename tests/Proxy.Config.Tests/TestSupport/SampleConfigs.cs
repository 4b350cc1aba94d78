using System.Net;
using MeshEdge.Config.Model;

namespace MeshEdge.Config.Tests.TestSupport;

/// <summary>One complete configuration written in both formats, and the model both must give.</summary>
internal static class SampleConfigs
{
    public const string Toml = """
        [runtime]
        workers = 4
        log_level = "debug"
        drain_timeout = "1.5s"

        [[listeners]]
        name = "inbound"
        address = "127.0.0.1:10000"
        protocol = "tcp"
        max_connections = 500
        buffer_limit = "64KiB"
        [listeners.tcp_proxy]
        cluster = "local_app"
        idle_timeout = "0s"
        max_connect_attempts = 5

        [[listeners]]
        name = "inbound.v6"
        address = "[::1]:0"
        buffer_limit = 20000
        tcp_proxy = { cluster = "remote-app" }

        [[clusters]]
        name = "local_app"
        type = "static"
        lb_policy = "round_robin"
        connect_timeout = "250ms"
        hosts = ["127.0.0.1:8080", "[fe80::1]:8081"]

        [[clusters]]
        name = "remote-app"
        hosts = ["10.1.2.3:443"]
        """;

    public const string Json = """
        {
          "runtime": { "workers": 4, "log_level": "debug", "drain_timeout": "1.5s" },
          "listeners": [
            {
              "name": "inbound",
              "address": "127.0.0.1:10000",
              "protocol": "tcp",
              "max_connections": 500,
              "buffer_limit": "64KiB",
              "tcp_proxy": { "cluster": "local_app", "idle_timeout": "0s", "max_connect_attempts": 5 }
            },
            {
              "name": "inbound.v6",
              "address": "[::1]:0",
              "buffer_limit": 20000,
              "tcp_proxy": { "cluster": "remote-app" }
            }
          ],
          "clusters": [
            {
              "name": "local_app",
              "type": "static",
              "lb_policy": "round_robin",
              "connect_timeout": "250ms",
              "hosts": ["127.0.0.1:8080", "[fe80::1]:8081"]
            },
            { "name": "remote-app", "hosts": ["10.1.2.3:443"] }
          ]
        }
        """;

    public static ProxyConfig Expected(string source) => new(
        source,
        new RuntimeConfig(4, LogLevel.Debug, TimeSpan.FromMilliseconds(1500)),
        [
            new ListenerConfig("inbound", IPEndPoint.Parse("127.0.0.1:10000"), ListenerProtocol.Tcp, 500, 64 * 1024,
                new TcpProxyConfig("local_app", TimeSpan.Zero, 5)),
            new ListenerConfig("inbound.v6", IPEndPoint.Parse("[::1]:0"), ListenerProtocol.Tcp, 10_000, 20_000,
                new TcpProxyConfig("remote-app", TimeSpan.FromHours(1), 3)),
        ],
        [
            new ClusterConfig("local_app", ClusterType.Static, LoadBalancerPolicy.RoundRobin, TimeSpan.FromMilliseconds(250),
                [new HostConfig(IPEndPoint.Parse("127.0.0.1:8080"), 1), new HostConfig(IPEndPoint.Parse("[fe80::1]:8081"), 1)]),
            new ClusterConfig("remote-app", ClusterType.Static, LoadBalancerPolicy.RoundRobin, TimeSpan.FromSeconds(5),
                [new HostConfig(IPEndPoint.Parse("10.1.2.3:443"), 1)]),
        ]);

    /// <summary>
    /// A small valid TOML document with holes for a test's mistake: each argument replaces a value or
    /// adds lines to one table, so a case states only what it breaks.
    /// </summary>
    public static string TomlWith(
        string head = "",
        string address = "\"127.0.0.1:10000\"",
        string listener = "",
        string cluster = "\"local_app\"",
        string tcpProxy = "",
        string hosts = "[\"127.0.0.1:8080\"]",
        string clusterExtra = "",
        string tail = "") => $"""
        {head}

        [[listeners]]
        name = "inbound"
        address = {address}
        {listener}

        [listeners.tcp_proxy]
        cluster = {cluster}
        {tcpProxy}

        [[clusters]]
        name = "local_app"
        hosts = {hosts}
        {clusterExtra}

        {tail}
        """;

    /// <summary>
    /// The smallest valid JSON document whose runtime table holds <paramref name="members"/> (such as
    /// <c>"priority": "low"</c>): the JSON side of a runtime key's format parity.
    /// </summary>
    public static string JsonWithRuntime(string members) => $$"""
        {
          "runtime": { {{members}} },
          "listeners": [ { "name": "l", "address": "127.0.0.1:1", "tcp_proxy": { "cluster": "c" } } ],
          "clusters": [ { "name": "c", "hosts": ["127.0.0.1:2"] } ]
        }
        """;
}
