using System.Net.Sockets;

namespace MeshEdge.Native.Tests.Rpc;

/// <summary>A blocking Bolt client on a plain socket, for the tests that drive a worker harness call by call.</summary>
internal static class BoltSocketCalls
{
    public static Socket Connect(RpcWorkerHarness proxy)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 30_000 };
        client.Connect(proxy.Address);
        return client;
    }

    /// <summary>Sends one request and returns the status of its response, which must carry its id.</summary>
    public static ushort Call(Socket client, byte[] request, uint id)
    {
        client.Send(request);
        var header = new byte[BoltWire.ResponseHeaderLength];
        Receive(client, header);
        var rest = new byte[BoltWire.ResponseLengthOf(header) - header.Length];
        Receive(client, rest);
        Assert.Equal(id, BoltWire.Id(header));
        return BoltWire.Status(header);
    }

    public static void Receive(Socket client, byte[] into)
    {
        var received = 0;
        while (received < into.Length)
        {
            var n = client.Receive(into.AsSpan(received));
            Assert.True(n > 0, $"the proxy closed the connection after {received} of {into.Length} bytes");
            received += n;
        }
    }
}
