namespace MeshEdge.Native.Xds.Grpc;

/// <summary>The gRPC status codes a call can end with (grpc/grpc doc/statuscodes.md); the ones the client maps to have names.</summary>
internal enum GrpcStatusCode
{
    Ok = 0,
    Cancelled = 1,
    Unknown = 2,
    InvalidArgument = 3,
    DeadlineExceeded = 4,
    NotFound = 5,
    PermissionDenied = 7,
    ResourceExhausted = 8,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
    Unauthenticated = 16,
}
