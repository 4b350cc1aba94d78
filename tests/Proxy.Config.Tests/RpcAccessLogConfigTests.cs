using MeshEdge.Config.AccessLog;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary><c>access_log</c> under <c>[listeners.rpc_proxy]</c>: its defaults, the RPC operators, and errors that name the key path.</summary>
public sealed class RpcAccessLogConfigTests
{
    private static string Bolt(string accessLog) => $"""
        [[listeners]]
        name = "bolt"
        address = "127.0.0.1:12220"
        protocol = "bolt"
        [listeners.rpc_proxy]
        cluster = "a"
        {accessLog}

        [[clusters]]
        name = "a"
        hosts = ["127.0.0.1:12200"]
        """;

    [Fact]
    public void An_rpc_access_log_defaults_to_stdout_and_the_rpc_format()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(Bolt("access_log = {}"), "bolt.toml"));

        var log = config.Listeners[0].RpcProxy!.AccessLog!;
        Assert.Equal("stdout", log.Path);
        Assert.Equal(
            "%START_TIME% %PROTOCOL% %RPC_SERVICE% %RPC_METHOD% %RPC_STATUS% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% \"%DOWNSTREAM_REMOTE_ADDRESS%\" \"%UPSTREAM_HOST%\"",
            log.Format);
    }

    [Fact]
    public void A_custom_format_with_rpc_operators_and_headers_binds()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(
            Bolt("access_log = { path = \"/var/log/rpc.log\", format = \"%RPC_SERVICE%#%RPC_METHOD% %RPC_STATUS% %REQ(tenant)%\" }"), "bolt.toml"));

        var log = config.Listeners[0].RpcProxy!.AccessLog!;
        Assert.Equal("/var/log/rpc.log", log.Path);
        var format = AccessLogFormat.Parse(log.Format, AccessLogDialect.Rpc, out var error);
        Assert.Null(error);
        Assert.Equal(
            [AccessLogField.RpcService, AccessLogField.Literal, AccessLogField.RpcMethod, AccessLogField.Literal, AccessLogField.RpcStatus, AccessLogField.Literal, AccessLogField.RequestHeader],
            format.Segments.Select(s => s.Field));
        Assert.Equal("tenant"u8.ToArray(), format.Segments[^1].Bytes);
    }

    [Fact]
    public void Without_the_table_nothing_is_logged()
    {
        var config = LoadAssert.Succeeds(ConfigLoader.LoadToml(Bolt(""), "bolt.toml"));

        Assert.Null(config.Listeners[0].RpcProxy!.AccessLog);
    }

    public static TheoryData<string, string> Mistakes => new()
    {
        { Bolt("access_log = { format = \"%RPC_SERVCE%\" }"), "listeners[0].rpc_proxy.access_log.format: unknown access log operator %RPC_SERVCE%" },
        { Bolt("access_log = { format = \"%REQ(:PATH)% %RPC_STATUS%\" }"), "listeners[0].rpc_proxy.access_log.format: %REQ(:PATH)% is not available in an RPC access log" },
        { Bolt("access_log = { format = \"%RESPONSE_CODE%\" }"), "listeners[0].rpc_proxy.access_log.format: %RESPONSE_CODE% is not available in an RPC access log" },
        { Bolt("access_log = { path = \"\" }"), "listeners[0].rpc_proxy.access_log.path: expected \"stdout\", \"stderr\" or a file path" },
        { Bolt("access_log = { paht = \"stdout\" }"), "listeners[0].rpc_proxy.access_log.paht: unknown key (did you mean \"path\"?)" },
        { Bolt("access_log = \"stdout\""), "listeners[0].rpc_proxy.access_log: expected a table, got string" },
        {
            """
            [[listeners]]
            name = "web"
            address = "127.0.0.1:10000"
            protocol = "http"
            [listeners.http]
            access_log = { format = "%RPC_METHOD%" }
            [[listeners.http.virtual_hosts]]
            name = "v"
            [[listeners.http.virtual_hosts.routes]]
            match = { prefix = "/" }
            cluster = "a"

            [[clusters]]
            name = "a"
            hosts = ["127.0.0.1:12200"]
            """,
            "listeners[0].http.access_log.format: %RPC_METHOD% is not available in an HTTP access log"
        },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void One_mistake_gives_one_error_with_its_key_path(string toml, string expected)
    {
        var errors = LoadAssert.Fails(ConfigLoader.LoadToml(toml, "bolt.toml"));

        Assert.Equal([expected], errors);
    }
}
