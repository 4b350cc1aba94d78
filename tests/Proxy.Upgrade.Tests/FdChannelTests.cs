using System.Net;
using System.Net.Sockets;
using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Upgrade.Tests;

public sealed class FdChannelTests
{
    [Fact]
    public void Bytes_and_fds_arrive_together()
    {
        var (left, right) = FdChannel.CreatePair();
        using var leftEnd = left;
        using var rightEnd = right;
        using var listener = Listen();

        left.Send("hello"u8, [(int)listener.Handle]);
        var buffer = new byte[16];
        var fds = new int[4];
        var n = right.Receive(buffer, fds, out var fdCount);

        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal(1, fdCount);
        Assert.NotEqual((int)listener.Handle, fds[0]);
        using var adopted = Adopt(fds[0]);
        Assert.Equal(listener.LocalEndPoint, adopted.LocalEndPoint);
    }

    [Fact]
    public void A_passed_listening_socket_keeps_its_accept_queue()
    {
        var (left, right) = FdChannel.CreatePair();
        using var leftEnd = left;
        using var rightEnd = right;
        using var listener = Listen();
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        // A client connects before the hand-off; the successor must still accept it.
        using var early = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        early.Connect(IPAddress.Loopback, port);

        left.Send([1], [(int)listener.Handle]);
        var fds = new int[1];
        right.Receive(new byte[1], fds, out _);
        listener.Dispose(); // the old process lets go of its number for the socket

        using var adopted = Adopt(fds[0]);
        using var accepted = adopted.Accept();
        early.Send([42]);
        var received = new byte[1];
        Assert.Equal(1, accepted.Receive(received));
        Assert.Equal(42, received[0]);
    }

    [Fact]
    public void A_stream_without_fds_reports_none()
    {
        var (left, right) = FdChannel.CreatePair();
        using var leftEnd = left;
        using var rightEnd = right;
        left.Send("x"u8, []);
        Assert.Equal(1, right.Receive(new byte[8], new int[2], out var fdCount));
        Assert.Equal(0, fdCount);
        left.Dispose();
        Assert.Equal(0, right.Receive(new byte[8], new int[2], out _));
    }

    [Fact]
    public void A_listener_socket_file_is_owner_only_and_removed_on_dispose()
    {
        var path = Path.Combine(Path.GetTempPath(), $"meshedge-handoff-{Guid.NewGuid():N}.sock");
        using (var handoff = HandoffListener.Bind(path))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            using var client = FdChannel.Connect(path);
            using var server = handoff.Accept();
            client.Send("ping"u8, []);
            var buffer = new byte[4];
            Assert.True(server.ReceiveExactly(buffer, new int[1], out _));
        }

        Assert.False(File.Exists(path));
    }

    internal static Socket Listen()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(16);
        return socket;
    }

    internal static Socket Adopt(int fd) => new(new SafeSocketHandle(fd, ownsHandle: true));
}
