namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>
/// The gRPC harness on its own: @grpc/grpc-js calls straight to each echo server (@grpc/grpc-js and
/// Kestrel), with no proxy between. It proves the peers and the scenarios of <see cref="GrpcEchoScenarios"/>
/// (and that both servers answer alike), so that a failure through MeshEdge is MeshEdge's.
/// </summary>
public sealed class GrpcDirectTests
{
    public static TheoryData<string, string> Cases => GrpcEchoScenarios.Cases("grpc-js", "kestrel");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_call_straight_to_the_server(string scenario, string server)
    {
        await using var echo = await GrpcEchoScenarios.StartServerAsync(server);

        await GrpcEchoScenarios.All[scenario](echo, echo.EndPoint);
    }
}
