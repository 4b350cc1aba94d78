namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>
/// One call for tests/interop/grpc/client.js: the method (Unary, ServerStream, ClientStream, Bidi), its
/// requests (Unary and ServerStream send the first; Bidi sends each after the reply to the one before),
/// request metadata (keys ending in -bin take base64), a deadline, a cancel after a time, after a
/// number of replies or once a file exists, and whether the client half-closes after its requests.
/// </summary>
internal sealed record GrpcCallSpec(string Method, params GrpcEchoRequest[] Requests)
{
    public Dictionary<string, string> Metadata { get; init; } = [];

    public int? DeadlineMs { get; init; }

    public int? CancelAfterMs { get; init; }

    public int? CancelAfterReplies { get; init; }

    /// <summary>The client cancels once this path exists (see <c>GrpcEchoScenarios.CallAndCancelOnceSeenAsync</c>).</summary>
    public string? CancelWhenFile { get; init; }

    public bool HalfClose { get; init; } = true;
}
