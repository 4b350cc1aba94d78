using System.Net.Sockets;
using MeshEdge.Native.Tests.Runtime;
using Xunit.Abstractions;

namespace MeshEdge.Native.Tests.Rpc;

/// <summary>
/// The design's promise (docs/ARCHITECTURE.md, Memory): an RPC request costs a record from the worker's
/// free list and nothing else, so the steady state allocates nothing per request. Measured on the real
/// <c>RpcDownstreamSession</c>, upstream pool and connections, on a real worker thread, with requests
/// going over loopback sockets to an upstream and back.
/// </summary>
public sealed class RpcDownstreamSessionAllocationTests(ITestOutputHelper output)
{
    private const string Service = "com.meshedge.Echo:1.0";
    private const string RoutesToA = """routes = [ { match = { service_prefix = "com.meshedge." }, cluster = "a" } ]""";

    /// <summary>Requests written at once before their responses are read: several in flight, so the free list and id table work.</summary>
    private const int Window = 8;

    private const int WarmUpRounds = 250;
    private const int RoundsPerWindow = 1000;

    /// <summary>
    /// What the worker's thread may allocate in a window regardless of its length: 80 bytes on its
    /// first maintenance timer tick (seen idle too). Far below one byte per request (8,000 requests a
    /// window); one 24-byte object per request is 192,000.
    /// </summary>
    private const long FixedAllowanceBytes = 1024;

    [Fact]
    public void A_session_in_steady_state_allocates_nothing_per_request()
    {
        using var upstream = new BoltEchoUpstream();
        using var proxy = new RpcWorkerHarness(RoutesToA, upstream.EndPoint);
        using var client = new Socket(System.Net.Sockets.AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(proxy.Address);
        var requests = Enumerable.Range(1, Window).SelectMany(id => BoltWire.Request((uint)id, Service)).ToArray();
        var responses = new byte[Window * BoltWire.ResponseLength];

        var allocation = SteadyStateAllocation.Measure(
            proxy.WorkerAllocatedBytes, WarmUpRounds, RoundsPerWindow, () => RoundTrip(client, requests, responses));

        const int perWindow = RoundsPerWindow * Window;
        output.WriteLine($"worker thread allocated {allocation}, {perWindow} requests each");
        var total = SteadyStateAllocation.TotalRounds(WarmUpRounds, RoundsPerWindow) * Window;
        var stats = proxy.OnWorker(proxy.Factory.MergeListenerStats);
        Assert.Equal(total, stats.Requests);
        Assert.Equal(total, stats.ResponsesSuccess);
        Assert.Equal(total, upstream.Answered);
        Assert.True(
            allocation.Least <= FixedAllowanceBytes,
            $"the worker allocated {allocation}, {perWindow} proxied requests each " +
            $"({(double)allocation.Least / perWindow:0.#} per request in the cleanest); the steady state should allocate nothing per request");
    }

    /// <summary>Sends <see cref="Window"/> requests (ids 1..Window) in one write, then reads and checks their responses.</summary>
    private static void RoundTrip(Socket client, byte[] requests, byte[] responses)
    {
        client.Send(requests);
        var received = 0;
        while (received < responses.Length)
        {
            var n = client.Receive(responses.AsSpan(received));
            Assert.True(n > 0, $"the proxy closed the connection after {received} response bytes");
            received += n;
        }

        var seen = 0;
        for (var i = 0; i < Window; i++)
        {
            var response = responses.AsSpan(i * BoltWire.ResponseLength, BoltWire.ResponseLength);
            Assert.Equal(0, BoltWire.Status(response));
            seen |= 1 << (int)(BoltWire.Id(response) - 1);
        }

        Assert.Equal((1 << Window) - 1, seen);
    }
}
