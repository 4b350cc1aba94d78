using MeshEdge.Config.Model;
using MeshEdge.Config.Tests.TestSupport;

namespace MeshEdge.Config.Tests;

/// <summary>protocol = "auto": the session tables it may hand connections to, and its detection timeout.</summary>
public sealed class AutoListenerConfigTests
{
    private const string Cluster = "\n[[clusters]]\nname = \"app\"\nhosts = [\"127.0.0.1:8080\"]\n";

    private const string Head = "[[listeners]]\nname = \"mixed\"\naddress = \"127.0.0.1:10000\"\nprotocol = \"auto\"\n";

    [Fact]
    public void An_auto_listener_keeps_every_session_table_it_has()
    {
        var toml = Head + "detection_timeout = \"500ms\"\ntcp_proxy = { cluster = \"app\" }\nrpc_proxy = { cluster = \"app\" }\n"
            + "[listeners.http]\n[[listeners.http.virtual_hosts]]\nname = \"v\"\nroutes = [{ match = { prefix = \"/\" }, cluster = \"app\" }]\n" + Cluster;

        var listener = Assert.Single(LoadAssert.Succeeds(ConfigLoader.LoadToml(toml, "auto.toml")).Listeners);

        Assert.Equal(ListenerProtocol.Auto, listener.Protocol);
        Assert.Equal(TimeSpan.FromMilliseconds(500), listener.DetectionTimeout);
        Assert.Equal("app", listener.TcpProxy.Cluster);
        Assert.NotNull(listener.RpcProxy);
        Assert.NotNull(listener.Http);
    }

    [Fact]
    public void The_detection_timeout_defaults_to_three_seconds()
    {
        var toml = Head + "tcp_proxy = { cluster = \"app\" }\n" + Cluster;

        Assert.Equal(TimeSpan.FromSeconds(3), LoadAssert.Succeeds(ConfigLoader.LoadToml(toml, "auto.toml")).Listeners[0].DetectionTimeout);
    }

    public static TheoryData<string, string> ErrorCases => new()
    {
        { Head + Cluster, "listeners[0].protocol: an \"auto\" listener needs at least one of the http, rpc_proxy and tcp_proxy tables" },
        { Head + "detection_timeout = \"0s\"\ntcp_proxy = { cluster = \"app\" }\n" + Cluster, "listeners[0].detection_timeout: \"0s\" must be greater than zero" },
        { "[[listeners]]\nname = \"t\"\naddress = \"127.0.0.1:1\"\ndetection_timeout = \"1s\"\ntcp_proxy = { cluster = \"app\" }\n" + Cluster, "listeners[0].detection_timeout: only a protocol = \"auto\" listener detects protocols" },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Mistakes_are_reported_precisely(string toml, string expected)
    {
        Assert.Equal([expected], LoadAssert.Fails(ConfigLoader.LoadToml(toml, "auto.toml")));
    }
}
