using System.Net.Sockets;
using System.Text;
using MeshEdge.Native.Hosting;

namespace MeshEdge.Native.Tests.Hosting;

public sealed class SystemdNotifierTests
{
    [Fact]
    public void Ready_reaches_the_notify_socket_as_one_datagram()
    {
        var path = Path.Combine(Path.GetTempPath(), $"meshedge-notify-{Guid.NewGuid():N}.sock");
        using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        receiver.Bind(new UnixDomainSocketEndPoint(path));
        var previous = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        try
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", path);
            SystemdNotifier.Ready();
            var buffer = new byte[512];
            receiver.ReceiveTimeout = 5000;
            var received = Encoding.UTF8.GetString(buffer, 0, receiver.Receive(buffer));
            Assert.Contains("READY=1", received.Split('\n'));
            Assert.Contains($"MAINPID={Environment.ProcessId}", received.Split('\n'));
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", previous);
            File.Delete(path);
        }
    }

    [Fact]
    public void Without_a_notify_socket_nothing_is_sent()
    {
        var previous = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        try
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", null);
            Assert.False(SystemdNotifier.Send("READY=1"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", previous);
        }
    }
}
