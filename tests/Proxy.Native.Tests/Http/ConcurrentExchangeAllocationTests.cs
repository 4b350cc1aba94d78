using System.Net.Sockets;
using System.Text;
using MeshEdge.Native.Tests.Runtime;
using Xunit.Abstractions;

namespace MeshEdge.Native.Tests.Http;

/// <summary>
/// What <see cref="HttpExchangeAllocationTests"/> cannot see with its one connection: many requests in
/// flight at once, as under wrk -c32 or while thousands of clients each make their first request. Each
/// holds a request head and, while its response is read, a response head; their storage must come from
/// a pool that holds that many (ArrayPool.Shared keeps a few dozen arrays of a size per core: past
/// that, every request dropped and allocated about 2.4 KB).
/// </summary>
public sealed class ConcurrentExchangeAllocationTests(ITestOutputHelper output)
{
    /// <summary>More heads at once than ArrayPool.Shared keeps per size on two cores (two partitions of 32, and one per thread).</summary>
    private const int Connections = 64;

    private const int WarmUpRounds = 10;
    private const int RoundsPerWindow = 60;

    /// <summary>
    /// What the worker may allocate regardless of the number of requests: a timer tick or two, and a
    /// few more arrays for its pool when a round reaches a new peak of heads at once (3,440 bytes in
    /// most runs when written, 26,352 once in about eight full-suite runs); far below one array per
    /// request (2.8 KB per request before the fix), and below one 24-byte object for each of the
    /// 3,840 requests of a window (92 KB).
    /// </summary>
    private const long FixedAllowanceBytes = 64 * 1024;

    private static readonly byte[] Get = Encoding.ASCII.GetBytes("GET /length HTTP/1.1\r\nhost: test\r\n\r\n");

    [Fact]
    public void Requests_in_flight_together_allocate_nothing_per_request()
    {
        using var upstream = new KeepAliveHttpUpstream();
        using var proxy = new HttpWorkerHarness(upstream.EndPoint);
        var clients = new List<(Socket Socket, SocketReader Reader)>();
        try
        {
            for (var i = 0; i < Connections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                socket.Connect(proxy.Address);
                clients.Add((socket, new SocketReader(socket)));
            }

            var allocation = SteadyStateAllocation.Measure(proxy.WorkerAllocatedBytes, WarmUpRounds, RoundsPerWindow, () => Round(clients));
            var requests = RoundsPerWindow * Connections;
            output.WriteLine($"worker thread allocated {allocation}, {requests} requests each, {Connections} in flight at once");
            Assert.Equal(SteadyStateAllocation.TotalRounds(WarmUpRounds, RoundsPerWindow) * Connections, proxy.ListenerStats().RequestsTotal);
            Assert.True(
                allocation.Least <= FixedAllowanceBytes,
                $"the worker allocated {allocation}, {requests} requests each, {Connections} in flight at once " +
                $"({(double)allocation.Least / requests:0.#} per request in the cleanest); requests in flight together should allocate nothing per request");
        }
        finally
        {
            foreach (var (_, reader) in clients)
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>Every connection sends its request before any response is read, so they are all in flight together.</summary>
    private static void Round(List<(Socket Socket, SocketReader Reader)> clients)
    {
        foreach (var (socket, _) in clients)
        {
            socket.Send(Get);
        }

        foreach (var (_, reader) in clients)
        {
            var head = reader.ReadHead()!;
            Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);
            Assert.Equal("hello", Encoding.ASCII.GetString(reader.SkipBody(head)));
        }
    }
}
