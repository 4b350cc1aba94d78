using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Functional.Tests.Backends;

/// <summary>Sends back every byte it receives; on end of stream it shuts down its side and closes.</summary>
internal static class EchoServer
{
    public static TcpBackend Start(IPEndPoint? bindTo = null) => TcpBackend.Start(EchoAsync, bindTo);

    private static async Task EchoAsync(Socket connection, CancellationToken stopping)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var n = await connection.ReceiveAsync(buffer, SocketFlags.None, stopping);
            if (n == 0)
            {
                connection.Shutdown(SocketShutdown.Send);
                return;
            }

            await Harness.Loopback.SendAllAsync(connection, buffer.AsMemory(0, n), stopping);
        }
    }
}
