using System.Net;
using System.Net.Sockets;

namespace MeshEdge.Functional.Tests.Harness;

/// <summary>Ports for peers that take their listening port on the command line (no port 0 there).</summary>
internal static class LoopbackPorts
{
    /// <summary>A port the kernel just handed out on 127.0.0.1 and took back: free unless someone takes it first.</summary>
    public static int Free()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
