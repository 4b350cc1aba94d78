using MeshEdge.Functional.Tests.Backends;
using MeshEdge.Functional.Tests.Harness;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests;

/// <summary>
/// Consistent hashing for HTTP: a route's hash policy picks the key (a header, a cookie, the
/// client's address), so requests with the same key reach the same host while different keys
/// spread; requests without a key spread too instead of piling on one host.
/// </summary>
public sealed class HttpHashPolicyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("ring_hash")]
    [InlineData("maglev")]
    public async Task TheSameHeaderOrCookieAlwaysReachesTheSameHost(string policy)
    {
        var backends = Enumerable.Range(0, 3).Select(i => NamedHttpResponder.Start($"b{i}", _ => 200)).ToArray();
        try
        {
            var hosts = string.Join(", ", backends.Select(b => $"\"{b.Backend.EndPoint}\""));
            var toml = $$"""
                [runtime]
                workers = 2

                [[listeners]]
                name = "web"
                address = "127.0.0.1:0"
                protocol = "http"
                [listeners.http]
                [[listeners.http.virtual_hosts]]
                name = "all"
                routes = [
                  { match = { prefix = "/user" }, cluster = "app", hash_policy = { header = "x-user" } },
                  { match = { prefix = "/cart" }, cluster = "app", hash_policy = { cookie = "session" } },
                  { match = { prefix = "/" }, cluster = "app" },
                ]

                [[clusters]]
                name = "app"
                lb_policy = "{{policy}}"
                hosts = [{{hosts}}]
                """;
            await using var proxy = await ProxyProcess.StartTomlAsync(toml, output);
            var web = $"http://{proxy.ListenerAddress("web")}";

            var byUser = new Dictionary<string, string>();
            var byCookie = new Dictionary<string, string>();
            for (var round = 0; round < 3; round++)
            {
                for (var user = 0; user < 30; user++)
                {
                    // A new connection per request, so that both workers serve each key.
                    using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(10) };
                    using var userRequest = new HttpRequestMessage(HttpMethod.Get, $"{web}/user/{round}");
                    userRequest.Headers.Add("x-user", $"user-{user}");
                    userRequest.Headers.ConnectionClose = true;
                    var answer = await (await http.SendAsync(userRequest)).Content.ReadAsStringAsync();
                    Assert.Equal(byUser.GetValueOrDefault($"user-{user}", answer), answer);
                    byUser[$"user-{user}"] = answer;

                    using var cartRequest = new HttpRequestMessage(HttpMethod.Get, $"{web}/cart/{round}");
                    cartRequest.Headers.Add("cookie", $"theme=dark; session=s{user}; lang=en");
                    cartRequest.Headers.ConnectionClose = true;
                    answer = await (await http.SendAsync(cartRequest)).Content.ReadAsStringAsync();
                    Assert.Equal(byCookie.GetValueOrDefault($"s{user}", answer), answer);
                    byCookie[$"s{user}"] = answer;
                }
            }

            // 30 keys over 3 hosts: every host owns some.
            Assert.Equal(3, byUser.Values.Distinct().Count());
            Assert.Equal(3, byCookie.Values.Distinct().Count());

            // Without a key, requests spread rather than all landing on one host.
            using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var unkeyed = new HashSet<string>();
            for (var i = 0; i < 30; i++)
            {
                unkeyed.Add(await plain.GetStringAsync($"{web}/other/{i}"));
            }

            Assert.True(unkeyed.Count >= 2, $"30 requests without a key all went to {string.Join(", ", unkeyed)}");
            await proxy.StopCleanlyAsync();
        }
        finally
        {
            foreach (var (backend, _) in backends)
            {
                await backend.DisposeAsync();
            }
        }
    }
}
