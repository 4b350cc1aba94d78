using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Functional.Tests.Backends;

/// <summary>
/// A loopback address where nothing listens, so connects are refused at once (RST). The port was bound
/// and released by the test, which makes it very unlikely to be taken again during the test.
/// </summary>
internal static class RefusingPort
{
    public static IPEndPoint Allocate()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }
}
