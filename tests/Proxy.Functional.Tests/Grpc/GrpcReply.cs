namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>One EchoReply: "SERVER:message" and its index.</summary>
internal sealed record GrpcReply(string Message, int Index);
