using System.Text;
using MeshEdge.Codecs.Http1;
using MeshEdge.Config;
using MeshEdge.Native.Http;
using MeshEdge.Native.Http.Routing;
using MeshEdge.Native.Runtime;

namespace MeshEdge.Native.Tests.Http;

/// <summary>
/// The exchange's request head is version-neutral: a head filled from HTTP/2's pseudo-headers meets
/// the same route as the HTTP/1.1 request it stands for, and an HTTP/1.1 upstream gets the same
/// request line and Host from either.
/// </summary>
public sealed class NeutralRequestHeadTests
{
    private const string Toml = """
        [[listeners]]
        name = "web"
        address = "127.0.0.1:0"
        protocol = "http"
        [listeners.http]
        [[listeners.http.virtual_hosts]]
        name = "api"
        domains = ["api.example.com"]
        routes = [{ match = { prefix = "/v1/" }, cluster = "b" }, { match = { prefix = "/" }, cluster = "a" }]
        [[listeners.http.virtual_hosts]]
        name = "other"
        domains = ["*"]
        routes = [{ match = { prefix = "/" }, cluster = "a" }]

        [[clusters]]
        name = "a"
        hosts = ["127.0.0.1:1"]

        [[clusters]]
        name = "b"
        hosts = ["127.0.0.1:2"]
        """;

    [Fact]
    public void Pseudo_headers_meet_the_same_route_and_write_the_same_upstream_request_as_a_request_line()
    {
        var loaded = ConfigLoader.LoadToml(Toml, "neutral.toml");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        var clusters = loaded.Config.Clusters.Select(c => c.Name).ToList();
        var routes = new HttpRouteTable(loaded.Config.Listeners[0].Http!, clusters.IndexOf);

        var h1 = new RequestHead();
        h1.Begin();
        h1.SetRequestLine(Http1Method.Post, "POST"u8, "/v1/items?x=1"u8, Http1Version.Http11);
        h1.AddField(Http1KnownHeader.Host, "host"u8, "api.example.com"u8);
        h1.AddField(Http1KnownHeader.Unknown, "x-trace"u8, "7"u8);

        var h2 = new RequestHead();
        h2.Begin();
        h2.SetPseudoHeaders("POST"u8, "api.example.com"u8, "/v1/items?x=1"u8);
        h2.AddField(Http1KnownHeader.Unknown, "x-trace"u8, "7"u8);

        var fromH1 = routes.Route(h1);
        var fromH2 = routes.Route(h2);
        Assert.NotNull(fromH1);
        Assert.Same(fromH1, fromH2);
        Assert.Equal(Http1Method.Post, h2.Method);
        Assert.Equal("/v1/items", Encoding.ASCII.GetString(h2.Path));
        Assert.Equal("x=1", Encoding.ASCII.GetString(h2.Query));

        Assert.Equal(UpstreamRequest(h1, fromH1!), UpstreamRequest(h2, fromH2!));
        Assert.StartsWith("POST /v1/items?x=1 HTTP/1.1\r\nhost: api.example.com\r\nx-trace: 7\r\n", UpstreamRequest(h2, fromH2!), StringComparison.Ordinal);
        h1.End();
        h2.End();
    }

    private static string UpstreamRequest(RequestHead head, CompiledRoute route)
    {
        using var pool = new BlockPool(diagnostic: false);
        var chain = new BlockChain();
        var writer = new BlockChainWriter(pool) { Target = chain };
        RequestHeadWriter.Write(writer, head, route, new ForwardingInfo(false, default, default, false), chunked: false);
        var text = Encoding.ASCII.GetString(chain.ToArrayForTest());
        chain.Clear(pool);
        return text;
    }
}
