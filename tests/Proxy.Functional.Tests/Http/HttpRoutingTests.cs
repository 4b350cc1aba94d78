using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Http;

/// <summary>
/// Which route a request takes: virtual hosts by Host (exact, <c>*.suffix</c>, <c>*</c>, port and case
/// ignored), then the first route whose path, header and query conditions all hold. Every cluster is
/// its own scripted backend, so the backend's name in the answer says which route was taken.
/// </summary>
public sealed class HttpRoutingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] BackendNames =
        ["api", "exact-path", "regex", "hdr-exact", "hdr-regex", "hdr-present", "hdr-absent", "query", "suffix", "any"];

    private const string Routes = """
        [[listeners.http.virtual_hosts]]
        name = "api"
        domains = ["api.example.com"]
        routes = [
          { match = { path = "/exact" }, cluster = "exact-path" },
          { match = { regex = "/items/[0-9]+" }, cluster = "regex" },
          { match = { prefix = "/h", headers = [{ name = "x-tier", exact = "gold" }] }, cluster = "hdr-exact" },
          { match = { prefix = "/h", headers = [{ name = "x-tier", regex = "silver|bronze" }] }, cluster = "hdr-regex" },
          { match = { prefix = "/h", headers = [{ name = "x-debug", present = true }] }, cluster = "hdr-present" },
          { match = { prefix = "/h", headers = [{ name = "x-block", absent = true }] }, cluster = "hdr-absent" },
          { match = { prefix = "/q", query_parameters = [{ name = "v", exact = "2" }] }, cluster = "query" },
          { match = { prefix = "/" }, cluster = "api" },
        ]

        [[listeners.http.virtual_hosts]]
        name = "suffix"
        domains = ["*.example.com"]
        routes = [{ match = { prefix = "/" }, cluster = "suffix" }]

        [[listeners.http.virtual_hosts]]
        name = "any"
        domains = ["*"]
        routes = [{ match = { prefix = "/" }, cluster = "any" }]
        """;

    private readonly Dictionary<string, ScriptedHttpBackend> _backends = BackendNames.ToDictionary(name => name, ScriptedHttpBackend.Start);
    private ProxyProcess _proxy = null!;

    public async Task InitializeAsync()
    {
        var clusters = _backends.Select(pair => HttpToml.Cluster(pair.Key, pair.Value.EndPoint)).ToArray();
        _proxy = await ProxyProcess.StartTomlAsync(HttpToml.Config(Routes, clusters), output);
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        foreach (var backend in _backends.Values)
        {
            backend.AssertNoErrors();
            await backend.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("api.example.com", "/anything", "", "api")]
    [InlineData("api.example.com:8080", "/anything", "", "api")]
    [InlineData("API.Example.COM", "/anything", "", "api")]
    [InlineData("www.example.com", "/exact", "", "suffix")]
    [InlineData("a.b.example.com:80", "/", "", "suffix")]
    [InlineData("example.com", "/", "", "any")]
    [InlineData("other.org", "/exact", "", "any")]
    [InlineData("api.example.com", "/exact", "", "exact-path")]
    [InlineData("api.example.com", "/exact?x=1", "", "exact-path")]
    [InlineData("api.example.com", "/exact/more", "", "api")]
    [InlineData("api.example.com", "/items/42", "", "regex")]
    [InlineData("api.example.com", "/items/42/x", "", "api")]
    [InlineData("api.example.com", "/items/abc", "", "api")]
    [InlineData("api.example.com", "/h", "x-tier: gold", "hdr-exact")]
    [InlineData("api.example.com", "/h", "X-Tier: bronze", "hdr-regex")]
    [InlineData("api.example.com", "/h", "x-tier: platinum|x-debug: 1", "hdr-present")]
    [InlineData("api.example.com", "/h", "x-tier: golden", "hdr-absent")]
    [InlineData("api.example.com", "/h", "x-block: 1", "api")]
    [InlineData("api.example.com", "/q?v=2", "", "query")]
    [InlineData("api.example.com", "/q?a=1&v=2", "", "query")]
    [InlineData("api.example.com", "/q?v=3", "", "api")]
    [InlineData("api.example.com", "/q", "", "api")]
    public async Task A_request_takes_the_first_matching_route_of_the_best_virtual_host(string host, string path, string headers, string expected)
    {
        var lines = headers.Length == 0 ? [] : headers.Split('|');

        var response = await HttpExchange.GetAsync(_proxy.ListenerAddress(), path, host, lines);

        Assert.Equal(200, response.Status);
        Assert.Equal(expected, response.Head.Get("x-backend"));
        Assert.Equal(path, response.EchoedRequest.Target);
        await _proxy.StopCleanlyAsync();
    }
}
