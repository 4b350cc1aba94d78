using MeshEdge.Functional.Tests.Backends;
using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>
/// @grpc/grpc-js -> MeshEdge (h2c in, h2 out) -> an echo server (@grpc/grpc-js or Kestrel): every
/// scenario of <see cref="GrpcDirectTests"/> must come out the same through the proxy, and MeshEdge's
/// own gRPC answers (issue 18: Trailers-Only replies, UNIMPLEMENTED for no route, UNAVAILABLE for no
/// host) must be gRPC statuses the client reads. Skipped while the binary lacks the h2 session or the
/// h2 upstream (<see cref="MeshEdgeGrpcProxy"/> names which).
/// </summary>
public sealed class GrpcMeshEdgeTests(ITestOutputHelper output)
{
    private const int Unimplemented = 12;
    private const int Unavailable = 14;

    public static TheoryData<string, string> Cases => GrpcEchoScenarios.Cases("grpc-js", "kestrel");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public async Task A_call_through_MeshEdge(string scenario, string server)
    {
        await using var echo = await GrpcEchoScenarios.StartServerAsync(server);
        await using var proxy = await MeshEdgeGrpcProxy.StartAsync(MeshEdgeGrpcProxy.Config([echo.EndPoint]), output);

        await GrpcEchoScenarios.All[scenario](echo, proxy.ListenerAddress());

        await proxy.StopCleanlyAsync();
    }

    [SkippableFact]
    public async Task A_method_no_route_matches_gets_UNIMPLEMENTED()
    {
        await using var echo = await GrpcJsEchoServer.StartAsync();
        await using var proxy = await MeshEdgeGrpcProxy.StartAsync(MeshEdgeGrpcProxy.Config([echo.EndPoint], routePrefix: "/other.Service/"), output);

        var call = await GrpcJsClient.CallAsync(proxy.ListenerAddress(), new GrpcCallSpec("Unary", new GrpcEchoRequest("nowhere")));

        Assert.True(call.Code == Unimplemented, $"status {call.Code} \"{call.Details}\", expected UNIMPLEMENTED ({Unimplemented})\n{call.Output}");
        Assert.Empty(echo.Calls);
        await proxy.StopCleanlyAsync();
    }

    [SkippableFact]
    public async Task A_cluster_with_no_reachable_host_gets_UNAVAILABLE()
    {
        var closed = RefusingPort.Allocate();
        await using var proxy = await MeshEdgeGrpcProxy.StartAsync(MeshEdgeGrpcProxy.Config([closed]), output);

        var call = await GrpcJsClient.CallAsync(proxy.ListenerAddress(), new GrpcCallSpec("Unary", new GrpcEchoRequest("nobody")) { DeadlineMs = 20_000 });

        Assert.True(call.Code == Unavailable, $"status {call.Code} \"{call.Details}\", expected UNAVAILABLE ({Unavailable})\n{call.Output}");
        await proxy.StopCleanlyAsync();
    }
}
