using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary>The same mistake in TOML and in JSON must give the same "path: reason" errors: both
/// formats go through one binder.</summary>
public sealed class FormatParityTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        {
            "adress = 1\n" + Listener("") + Cluster(""),
            """{ "adress": 1, "listeners": [ """ + JsonListener("") + """ ], "clusters": [ """ + JsonCluster("") + " ] }",
            "adress: unknown key"
        },
        {
            Listener("adress = \"x\"") + Cluster(""),
            """{ "listeners": [ """ + JsonListener("\"adress\": \"x\",") + """ ], "clusters": [ """ + JsonCluster("") + " ] }",
            "listeners[0].adress: unknown key (did you mean \"address\"?)"
        },
        {
            "[runtime]\nworkers = \"four\"\n" + Listener("") + Cluster(""),
            """{ "runtime": { "workers": "four" }, "listeners": [ """ + JsonListener("") + """ ], "clusters": [ """ + JsonCluster("") + " ] }",
            "runtime.workers: expected an integer, got string"
        },
        {
            "[runtime]\nworkers = 1.5\n" + Listener("") + Cluster(""),
            """{ "runtime": { "workers": 1.5 }, "listeners": [ """ + JsonListener("") + """ ], "clusters": [ """ + JsonCluster("") + " ] }",
            "runtime.workers: expected an integer, got float"
        },
        {
            "[runtime]\nworkers = true\n" + Listener("") + Cluster(""),
            """{ "runtime": { "workers": true }, "listeners": [ """ + JsonListener("") + """ ], "clusters": [ """ + JsonCluster("") + " ] }",
            "runtime.workers: expected an integer, got boolean"
        },
        {
            "[runtime]\ndrain_timeout = 30\n" + Listener("") + Cluster(""),
            """{ "runtime": { "drain_timeout": 30 }, "listeners": [ """ + JsonListener("") + """ ], "clusters": [ """ + JsonCluster("") + " ] }",
            "runtime.drain_timeout: 30 has no unit; expected a duration like \"5s\" (units: us, ms, s, m, h)"
        },
        {
            Listener("buffer_limit = 1024") + Cluster(""),
            """{ "listeners": [ """ + JsonListener("\"buffer_limit\": 1024,") + """ ], "clusters": [ """ + JsonCluster("") + " ] }",
            "listeners[0].buffer_limit: 1024 is out of range (16384..1073741824 bytes)"
        },
        {
            Listener("max_connections = 99999999999") + Cluster(""),
            """{ "listeners": [ """ + JsonListener("\"max_connections\": 99999999999,") + """ ], "clusters": [ """ + JsonCluster("") + " ] }",
            "listeners[0].max_connections: 99999999999 is out of range (must be at least 1)"
        },
        {
            Listener("") + Cluster("hosts = []"),
            """{ "listeners": [ """ + JsonListener("") + """ ], "clusters": [ { "name": "c", "hosts": [] } ] }""",
            "clusters[0].hosts: at least one host is required"
        },
        {
            Listener("") + Cluster("hosts = [\"127.0.0.1:70000\"]"),
            """{ "listeners": [ """ + JsonListener("") + """ ], "clusters": [ { "name": "c", "hosts": ["127.0.0.1:70000"] } ] }""",
            "clusters[0].hosts[0]: port 70000 is out of range (1..65535)"
        },
        {
            Listener(""),
            """{ "listeners": [ """ + JsonListener("") + " ] }",
            "listeners[0].tcp_proxy.cluster: unknown cluster \"c\" (no clusters are defined)"
        },
        {
            "listeners = []",
            """{ "listeners": [] }""",
            "listeners: at least one listener is required"
        },
        {
            "[runtime]",
            """{ "runtime": {} }""",
            "listeners: at least one listener is required"
        },
        {
            "[[listeners]]\naddress = \"127.0.0.1:1\"\ntcp_proxy = {}\n" + Cluster(""),
            """{ "listeners": [ { "address": "127.0.0.1:1", "tcp_proxy": {} } ], "clusters": [ """ + JsonCluster("") + " ] }",
            "listeners[0].name: missing required key|listeners[0].tcp_proxy.cluster: missing required key"
        },
        {
            Listener("") + Listener("") + Cluster(""),
            """{ "listeners": [ """ + JsonListener("") + ", " + JsonListener("") + """ ], "clusters": [ """ + JsonCluster("") + " ] }",
            "listeners[1].name: duplicate listener name \"l\"|listeners[1].address: address 127.0.0.1:1 is already used by listeners[0]"
        },
        {
            "[[listeners]]\nname = \"l\"\naddress = \"127.0.0.1:1\"\n[[listeners.tcp_proxy.sni_routes]]\nserver_names = [\"*.*.x\"]\ncluster = \"c\"\n" + Cluster(""),
            """{ "listeners": [ { "name": "l", "address": "127.0.0.1:1", "tcp_proxy": { "sni_routes": [ { "server_names": ["*.*.x"], "cluster": "c" } ] } } ], "clusters": [ """ + JsonCluster("") + " ] }",
            "listeners[0].tcp_proxy.sni_routes[0].server_names[0]: \"*.*.x\" is not a server name (a host name like \"a.example.com\", or \"*.example.com\" for any name under it)"
        },
        {
            "[[listeners]]\nname = \"l\"\naddress = \"127.0.0.1:1\"\nprotocol = \"bolt\"\nrpc_proxy = { cluster = \"c\", flush = \"now\", connection_affinity = \"client\" }\n" + Cluster(""),
            """{ "listeners": [ { "name": "l", "address": "127.0.0.1:1", "protocol": "bolt", "rpc_proxy": { "cluster": "c", "flush": "now", "connection_affinity": "client" } } ], "clusters": [ """ + JsonCluster("") + " ] }",
            "listeners[0].rpc_proxy.flush: unknown flush timing \"now\" (expected one of \"read\", \"turn\")"
        },
        {
            "[[listeners]]\nname = \"l\"\naddress = \"127.0.0.1:1\"\nprotocol = \"http\"\n[listeners.http]\nhttp2_settings_timeout = \"soon\"\n[[listeners.http.virtual_hosts]]\nname = \"v\"\nroutes = [{ match = { prefix = \"/\" }, cluster = \"c\" }]\n" + Cluster(""),
            """{ "listeners": [ { "name": "l", "address": "127.0.0.1:1", "protocol": "http", "http": { "http2_settings_timeout": "soon", "virtual_hosts": [ { "name": "v", "routes": [ { "match": { "prefix": "/" }, "cluster": "c" } ] } ] } } ], "clusters": [ """ + JsonCluster("") + " ] }",
            "listeners[0].http.http2_settings_timeout: \"soon\" is not a duration; expected a duration like \"5s\" (units: us, ms, s, m, h)"
        },
        {
            Listener("") + Cluster("hosts = [\"127.0.0.1:2\"]\nprotocol = \"h2\"\nhttp2 = { settings_timeout = \"-1s\" }"),
            """{ "listeners": [ """ + JsonListener("") + """ ], "clusters": [ """ + JsonCluster("\"protocol\": \"h2\", \"http2\": { \"settings_timeout\": \"-1s\" },") + " ] }",
            "clusters[0].http2.settings_timeout: \"-1s\" is negative; expected a duration like \"5s\" (units: us, ms, s, m, h)"
        },
        {
            "runtime = []\n" + Listener("") + Cluster(""),
            """{ "runtime": [1], "listeners": [ """ + JsonListener("") + """ ], "clusters": [ """ + JsonCluster("") + " ] }",
            "runtime: expected a table, got array"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Toml_and_json_report_the_same_errors(string toml, string json, string expected)
    {
        var fromToml = LoadAssert.Fails(ConfigLoader.LoadToml(toml, "p.toml"));
        var fromJson = LoadAssert.Fails(ConfigLoader.LoadJson(json, "p.json"));

        Assert.Equal(expected.Split('|'), fromToml);
        Assert.Equal(expected.Split('|'), fromJson);
    }

    private static string Listener(string extra) =>
        $"[[listeners]]\nname = \"l\"\naddress = \"127.0.0.1:1\"\n{extra}\ntcp_proxy.cluster = \"c\"\n";

    private static string Cluster(string hosts) =>
        $"[[clusters]]\nname = \"c\"\n{(hosts.Length == 0 ? "hosts = [\"127.0.0.1:2\"]" : hosts)}\n";

    private static string JsonListener(string extra) =>
        $$"""{ "name": "l", "address": "127.0.0.1:1", {{extra}} "tcp_proxy": { "cluster": "c" } }""";

    private static string JsonCluster(string extra) =>
        $$"""{ "name": "c", {{extra}} "hosts": ["127.0.0.1:2"] }""";
}
