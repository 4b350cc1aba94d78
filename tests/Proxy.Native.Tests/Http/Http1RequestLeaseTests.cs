using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace MeshEdge.Native.Tests.Http;

/// <summary>
/// An HTTP/1 connection borrows its exchange, head and staging from the worker for each request
/// (<see cref="MeshEdge.Native.Http.Http1RequestLease"/>) and gives them back when the exchange is
/// over: an idle keep-alive connection holds none, and a new connection costs only its own objects.
/// </summary>
public sealed class Http1RequestLeaseTests(ITestOutputHelper output)
{
    private const int Connections = 40;

    /// <summary>
    /// What a new connection with one request may allocate on the worker: the connection, its HTTP/1
    /// codec, their chains and timer (448 bytes measured); a lease of its own (the exchange with its
    /// timers, head, trailers, parser and chains: about 0.8 KB more) does not fit.
    /// </summary>
    private const long BytesPerConnection = 1000;

    private static readonly byte[] Get = Encoding.ASCII.GetBytes("GET /length HTTP/1.1\r\nhost: test\r\n\r\n");

    [Fact]
    public void Idle_keep_alive_connections_hold_no_lease_and_cost_only_their_own_objects()
    {
        using var upstream = new KeepAliveHttpUpstream();
        using var proxy = new HttpWorkerHarness(upstream.EndPoint);
        var clients = new List<(Socket Socket, SocketReader Reader)>();
        try
        {
            // The first connection makes the worker's lease (and warms the upstream pool).
            clients.Add(OneRequest(proxy));
            var before = proxy.WorkerAllocatedBytes();
            for (var i = 1; i < Connections; i++)
            {
                clients.Add(OneRequest(proxy));
            }

            var perConnection = (proxy.WorkerAllocatedBytes() - before) / (Connections - 1);
            var idleLeases = proxy.IdleHttp1Leases();
            output.WriteLine($"{Connections} idle keep-alive connections; worker allocated {perConnection} bytes per new connection; idle leases {idleLeases}");

            // One request at a time: one lease was ever needed, and every idle connection gave it back.
            Assert.Equal(1, idleLeases);
            Assert.Equal(Connections, proxy.ListenerStats().RequestsTotal);
            Assert.True(
                perConnection <= BytesPerConnection,
                $"a new connection with one request allocated {perConnection} bytes on the worker (at most {BytesPerConnection}): does it build its own exchange again?");

            // Each connection still serves its next request on a lease.
            foreach (var (socket, reader) in clients)
            {
                Request(socket, reader);
            }

            Assert.Equal(1, proxy.IdleHttp1Leases());
        }
        finally
        {
            foreach (var (socket, reader) in clients)
            {
                reader.Dispose();
                socket.Dispose();
            }
        }
    }

    private static (Socket Socket, SocketReader Reader) OneRequest(HttpWorkerHarness proxy)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(proxy.Address);
        var reader = new SocketReader(socket);
        Request(socket, reader);
        return (socket, reader);
    }

    private static void Request(Socket socket, SocketReader reader)
    {
        socket.Send(Get);
        var head = reader.ReadHead()!;
        Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);
        Assert.Equal("hello", Encoding.ASCII.GetString(reader.SkipBody(head)));
    }
}
