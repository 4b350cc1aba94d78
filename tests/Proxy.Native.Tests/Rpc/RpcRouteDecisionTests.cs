using System.Net.Sockets;
using static MeshEdge.Native.Tests.Rpc.BoltSocketCalls;

namespace MeshEdge.Native.Tests.Rpc;

/// <summary>
/// A (service, method) pair keeps the route it took while the listener's routes match on names alone
/// (issue 21: no route matching per request). Where a route also looks at a header, requests of one
/// pair may go different ways, and each must be matched on its own headers.
/// </summary>
public sealed class RpcRouteDecisionTests
{
    private const string Service = "com.meshedge.Echo:1.0";

    [Fact]
    public void Requests_of_one_pair_follow_their_own_headers_when_a_route_matches_a_header()
    {
        // Only requests with zone=x have a route; the rest get the no-route reply.
        const string routes = """routes = [ { match = { service = "com.meshedge.Echo:1.0", headers = { zone = "x" } }, cluster = "a" } ]""";
        using var upstream = new BoltEchoUpstream();
        using var proxy = new RpcWorkerHarness(routes, upstream.EndPoint);
        using var client = Connect(proxy);

        var statuses = new List<ushort>();
        for (uint id = 1; id <= 6; id++)
        {
            var request = id % 2 == 1 ? BoltWire.Request(id, Service, ("zone", "x")) : BoltWire.Request(id, Service, ("zone", "y"));
            statuses.Add(Call(client, request, id));
        }

        Assert.Equal([0, 0, 0], statuses.Where((_, i) => i % 2 == 0));
        Assert.DoesNotContain((ushort)0, statuses.Where((_, i) => i % 2 == 1));
        Assert.Equal(3, upstream.Answered);
    }

    [Fact]
    public void Requests_of_one_pair_keep_their_route_when_routes_match_on_names()
    {
        const string routes = """routes = [ { match = { service_prefix = "com.meshedge." }, cluster = "a" } ]""";
        using var upstream = new BoltEchoUpstream();
        using var proxy = new RpcWorkerHarness(routes, upstream.EndPoint);
        using var client = Connect(proxy);

        for (uint id = 1; id <= 5; id++)
        {
            Assert.Equal(0, Call(client, BoltWire.Request(id, Service), id));
        }

        // Another service under no route, between and after them: each gets its own answer.
        Assert.NotEqual(0, Call(client, BoltWire.Request(6, "org.other.Echo:1.0"), 6));
        Assert.Equal(0, Call(client, BoltWire.Request(7, Service), 7));
        Assert.Equal(6, upstream.Answered);
    }

    [Fact]
    public void Requests_with_the_same_headers_follow_the_method_their_payload_names()
    {
        // Only sayHello has a route. The header blocks are the same bytes; the SofaRequest payloads
        // name one method or the other, with arguments that differ from call to call.
        const string routes = """routes = [ { match = { service = "com.meshedge.Echo:1.0", method = "sayHello" }, cluster = "a" } ]""";
        using var upstream = new BoltEchoUpstream();
        using var proxy = new RpcWorkerHarness(routes, upstream.EndPoint);
        using var client = Connect(proxy);

        var statuses = new List<ushort>();
        for (uint id = 1; id <= 8; id++)
        {
            var method = id % 4 is 1 or 2 ? "sayHello" : "sayHelly";
            statuses.Add(Call(client, BoltWire.SofaRequest(id, Service, method, $"argument {id}"), id));
        }

        Assert.Equal([0, 0, 0, 0], statuses.Where((_, i) => i % 4 is 0 or 1));
        Assert.DoesNotContain((ushort)0, statuses.Where((_, i) => i % 4 is 2 or 3));
        Assert.Equal(4, upstream.Answered);
    }
}
