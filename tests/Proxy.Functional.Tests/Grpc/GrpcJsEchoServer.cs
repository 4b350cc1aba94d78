using System.Net;
using System.Text.Json;
using MeshEdge.Functional.Tests.Bolt;

namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>The @grpc/grpc-js echo server (tests/interop/grpc/server.js) on an ephemeral h2c port.</summary>
internal sealed class GrpcJsEchoServer : IGrpcEchoServer
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly NodeProcess _process;

    private GrpcJsEchoServer(NodeProcess process, string name, IPEndPoint endPoint)
    {
        _process = process;
        Name = name;
        EndPoint = endPoint;
    }

    public string Name { get; }

    public IPEndPoint EndPoint { get; }

    public IReadOnlyList<GrpcServerCall> Calls => [.. _process.Events("call").Select(ToCall)];

    public static async Task<GrpcJsEchoServer> StartAsync(string name = "grpc-js")
    {
        var process = await NodeProcess.StartAsync(GrpcInterop.Interop, "server.js", new { name });
        try
        {
            var listening = await process.WaitForAsync("listening", StartTimeout);
            return new GrpcJsEchoServer(process, name, new IPEndPoint(IPAddress.Loopback, listening.GetProperty("port").GetInt32()));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public int CancelledCount(string method) => _process.Events("cancelled").Count(e => e.GetProperty("method").GetString() == method);

    public int FinishedCount(string method) => _process.Events("finished").Count(e => e.GetProperty("method").GetString() == method);

    public string Describe() => _process.Describe();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static GrpcServerCall ToCall(JsonElement e)
    {
        var metadata = e.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());
        var deadline = e.GetProperty("deadlineMs");
        var authority = e.GetProperty("authority");
        return new GrpcServerCall(
            e.GetProperty("method").GetString()!,
            metadata,
            deadline.ValueKind == JsonValueKind.Number ? deadline.GetDouble() : null,
            authority.ValueKind == JsonValueKind.String ? authority.GetString() : null);
    }
}
