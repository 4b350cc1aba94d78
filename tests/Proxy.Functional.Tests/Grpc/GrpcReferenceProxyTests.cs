using Xunit.Abstractions;

namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>
/// The scenarios of <see cref="GrpcMeshEdgeTests"/> through nghttpx, a proxy known to carry gRPC: they
/// must pass through a correct proxy (timing bounds, cancels crossing a hop, trailers relayed), so
/// when one fails through MeshEdge, MeshEdge is what differs.
/// </summary>
public sealed class GrpcReferenceProxyTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Cases => GrpcEchoScenarios.Cases("grpc-js", "kestrel");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_call_through_nghttpx(string scenario, string server)
    {
        await using var echo = await GrpcEchoScenarios.StartServerAsync(server);
        await using var proxy = await NghttpxProxy.StartAsync(echo.EndPoint);
        try
        {
            await GrpcEchoScenarios.All[scenario](echo, proxy.EndPoint);
        }
        finally
        {
            output.WriteLine(proxy.Describe());
        }
    }
}
