namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>One EchoRequest of echo.proto as client.js takes it (see the proto for what each field asks of the server).</summary>
internal sealed record GrpcEchoRequest(string Message, int Count = 0, int DelayMs = 0, int FailCode = 0, string? FailMessage = null, bool Hang = false);
