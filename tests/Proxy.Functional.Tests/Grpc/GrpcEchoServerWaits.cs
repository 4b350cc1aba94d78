using MeshEdge.Functional.Tests.Harness;

namespace MeshEdge.Functional.Tests.Grpc;

/// <summary>Waiting for what an echo server reports; a timeout fails the test with the server's report.</summary>
internal static class GrpcEchoServerWaits
{
    /// <summary>Generous: a loaded machine delays a process's report, never a correct one.</summary>
    public static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(20);

    public static async Task WaitForCancelledAsync(this IGrpcEchoServer server, string method)
    {
        if (!await Progress.WaitUntilAsync(() => server.CancelledCount(method) > 0, ReportTimeout))
        {
            Assert.Fail($"{server.Name} saw no cancel of its {method} call within {ReportTimeout.TotalSeconds}s\n{server.Describe()}");
        }
    }

    public static async Task<GrpcServerCall> WaitForCallAsync(this IGrpcEchoServer server, string method)
    {
        GrpcServerCall? call = null;
        if (!await Progress.WaitUntilAsync(() => (call = server.Calls.FirstOrDefault(c => c.Method == method)) is not null, ReportTimeout))
        {
            Assert.Fail($"{server.Name} saw no {method} call within {ReportTimeout.TotalSeconds}s\n{server.Describe()}");
        }

        return call!;
    }
}
