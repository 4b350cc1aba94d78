namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>
/// How a call ended, as @grpc/grpc-js reported it: the gRPC status code and message, the replies in
/// order, the response headers and trailers (binary values in base64), the time from start to status,
/// and the client's whole output for a failure message.
/// </summary>
internal sealed record GrpcCallResult(
    int Code,
    string Details,
    IReadOnlyList<GrpcReply> Replies,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> Trailers,
    double ElapsedMs,
    string Output)
{
    public override string ToString() => Output;
}
