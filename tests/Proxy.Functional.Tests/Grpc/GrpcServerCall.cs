namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>
/// A call as an echo server saw it arrive: the method, the request metadata (binary values in base64),
/// how many milliseconds its deadline left when it arrived (null: none) and the :authority.
/// </summary>
internal sealed record GrpcServerCall(string Method, IReadOnlyDictionary<string, string> Metadata, double? DeadlineMs, string? Authority);
