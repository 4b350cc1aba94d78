namespace MeshEdge.Native.Xds.Grpc;

/// <summary>
/// A call that ended without grpc-status 0: the status the control plane sent in its trailers, or the
/// one its HTTP status, a stream reset, a GOAWAY or a lost connection maps to. An
/// <see cref="IOException"/>, so the xDS client's reconnect path takes it like any broken stream.
/// </summary>
internal sealed class GrpcCallException(GrpcStatusCode status, string detail) : IOException($"grpc-status {(int)status} ({status}): {detail}")
{
    public GrpcStatusCode Status { get; } = status;

    public string Detail { get; } = detail;
}
