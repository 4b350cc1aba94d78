using System.Net;

namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>
/// An echo server of tests/interop/grpc/echo.proto on an h2c port: @grpc/grpc-js (<see cref="GrpcJsEchoServer"/>)
/// or Kestrel (<see cref="KestrelEchoServer"/>). Both answer alike (replies "NAME:message", x-echo-* headers
/// echoed with x-echo-server: NAME, trailers x-trailer-server and x-trailer-message, statuses on demand)
/// and report what they saw: the calls, the calls cancelled before the server ended them (by the
/// client, a proxy's RST_STREAM or the deadline), and the calls the server ended itself.
/// </summary>
internal interface IGrpcEchoServer : IAsyncDisposable
{
    string Name { get; }

    IPEndPoint EndPoint { get; }

    IReadOnlyList<GrpcServerCall> Calls { get; }

    int CancelledCount(string method);

    int FinishedCount(string method);

    /// <summary>What the server reported, for a failure message.</summary>
    string Describe();
}
