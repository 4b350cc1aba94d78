using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>tests/interop/grpc: the @grpc/grpc-js echo server (server.js) and client (client.js), the gRPC team's Node implementation.</summary>
internal static class GrpcInterop
{
    public static NodeInterop Interop { get; } = new("GrpcInteropDirectory");
}
