using Envoy.Service.Discovery.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using MeshEdge.Native.Tests.Xds.ControlPlane;
using MeshEdge.Native.Xds;
using MeshEdge.Native.Xds.Grpc;

namespace MeshEdge.Native.Tests.Xds;

/// <summary>MeshEdge's own gRPC client (its HTTP/2 connection layer, client role) against the Grpc.AspNetCore test control plane.</summary>
public sealed class GrpcDuplexCallTests
{
    private static readonly string Cds = XdsResourceType.Clusters.TypeUrl;

    private static Task<T> OnItsOwnThread<T>(Func<T> blocking) => Task.Factory.StartNew(blocking, TaskCreationOptions.LongRunning);

    private static GrpcDuplexCall Open(TestControlPlane plane, CancellationToken cancel, string path = AdsSession.StateOfTheWorldPath) =>
        GrpcDuplexCall.Open(new XdsEndpoint("127.0.0.1", plane.Port, null), path, TimeSpan.FromSeconds(5), cancel);

    private static byte[] Request(string version) => new DiscoveryRequest { TypeUrl = Cds, VersionInfo = version }.ToByteArray();

    [Fact]
    public async Task AMessageLargerThanTheWindowsStreamsThroughAndManyMessagesKeepTheirOrder()
    {
        await using var plane = await TestControlPlane.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = Open(plane, timeout.Token);
        call.Send(Request("hello"));
        Assert.Equal("hello", (await plane.NextAsync<DiscoveryRequest>(Cds)).VersionInfo);

        // 12 MiB in one message: past the stream's 4 MiB window and the connection's 8 MiB, so it
        // arrives only if the reader gives the window back while the message is still incomplete.
        var big = new byte[12 << 20];
        new Random(7).NextBytes(big);
        // The server's writes wait on the client's window, so they go on while the client reads.
        var pushes = Task.Run(async () =>
        {
            await plane.PushAsync(Cds, "big", new Any { TypeUrl = Cds, Value = ByteString.CopyFrom(big) });
            for (var i = 0; i < 50; i++)
            {
                await plane.PushAsync(Cds, "small-" + i);
            }
        });
        var received = await OnItsOwnThread(() => Enumerable.Range(0, 51).Select(_ => DiscoveryResponse.Parser.ParseFrom(call.Receive())).ToList());
        await pushes;
        Assert.Equal(big, received[0].Resources.Single().Value.ToByteArray());
        Assert.Equal(Enumerable.Range(0, 50).Select(i => "small-" + i), received.Skip(1).Select(r => r.VersionInfo));

        // The request side is still open after all that.
        call.Send(Request("after"));
        Assert.Equal("after", (await plane.NextAsync<DiscoveryRequest>(Cds)).VersionInfo);
    }

    [Fact]
    public async Task OverAUnixSocketAsIstioAgentServesIt()
    {
        var directory = Directory.CreateTempSubdirectory("meshedge-grpc-").FullName;
        var path = Path.Combine(directory, "XDS");
        try
        {
            await using var plane = await TestControlPlane.StartAsync(unixSocket: path);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var call = GrpcDuplexCall.Open(new XdsEndpoint(null, 0, path), AdsSession.StateOfTheWorldPath, TimeSpan.FromSeconds(5), timeout.Token);
            call.Send(Request("over-uds"));
            Assert.Equal("over-uds", (await plane.NextAsync<DiscoveryRequest>(Cds)).VersionInfo);
            await plane.PushAsync(Cds, "v1");
            var response = DiscoveryResponse.Parser.ParseFrom(await OnItsOwnThread(call.Receive));
            Assert.Equal("v1", response.VersionInfo);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task AServerStatusInTheTrailersEndsTheCallWithIt()
    {
        await using var plane = await TestControlPlane.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = Open(plane, timeout.Token, "/envoy.service.discovery.v3.AggregatedDiscoveryService/NoSuchMethod");
        var failure = await Assert.ThrowsAsync<GrpcCallException>(() => OnItsOwnThread(call.Receive));
        Assert.Equal(GrpcStatusCode.Unimplemented, failure.Status);
    }

    [Fact]
    public async Task AControlPlaneThatStopsBreaksTheCallWithAnIOException()
    {
        var plane = await TestControlPlane.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = Open(plane, timeout.Token);
        call.Send(Request("hello"));
        await plane.NextAsync<DiscoveryRequest>(Cds);
        var receiving = OnItsOwnThread(call.Receive);
        await plane.DisposeAsync();
        var failure = await Assert.ThrowsAnyAsync<IOException>(() => receiving);
        Assert.False(timeout.IsCancellationRequested, "the call noticed only when the test gave up: " + failure.Message);
    }
}
