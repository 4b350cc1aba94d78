using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Upgrade.Tests;

public sealed class HandoffMessageTests
{
    [Fact]
    public void Listeners_travel_with_their_sockets_in_one_frame()
    {
        var (left, right) = FdChannel.CreatePair();
        using var leftEnd = left;
        using var rightEnd = right;
        using var a0 = FdChannelTests.Listen();
        using var a1 = FdChannelTests.Listen();
        using var b0 = FdChannelTests.Listen();
        ListenerHandoff[] sent =
        [
            new("inbound", "127.0.0.1:10000", [(int)a0.Handle, (int)a1.Handle]),
            new("admin", "[::1]:9901", [(int)b0.Handle]),
        ];

        HandoffMessage.Send(left, HandoffMessageType.Listeners, HandoffMessage.EncodeListeners(sent), sent.SelectMany(l => l.Fds).ToArray());
        var (type, payload, fds) = HandoffMessage.Receive(right)!.Value;
        var received = HandoffMessage.DecodeListeners(payload, fds);

        Assert.Equal(HandoffMessageType.Listeners, type);
        Assert.Equal(["inbound", "admin"], received.Select(l => l.Name));
        Assert.Equal(["127.0.0.1:10000", "[::1]:9901"], received.Select(l => l.Address));
        Assert.Equal([2, 1], received.Select(l => l.Fds.Length));
        using var adopted = FdChannelTests.Adopt(received[1].Fds[0]);
        Assert.Equal(b0.LocalEndPoint, adopted.LocalEndPoint);
        foreach (var fd in received[0].Fds)
        {
            FdChannelTests.Adopt(fd).Dispose();
        }
    }

    [Fact]
    public void A_frame_of_another_protocol_version_is_refused_with_a_reason()
    {
        var (left, right) = FdChannel.CreatePair();
        using var leftEnd = left;
        using var rightEnd = right;
        left.Send([0, 0, 0, 2, 9, (byte)HandoffMessageType.Hello], []);
        var error = Assert.Throws<InvalidDataException>(() => HandoffMessage.Receive(right));
        Assert.Contains("version 9 is not supported", error.Message);
    }

    [Fact]
    public void A_listener_announcing_more_sockets_than_arrived_is_refused()
    {
        var payload = HandoffMessage.EncodeListeners([new ListenerHandoff("inbound", "127.0.0.1:1", [3, 4])]);
        var error = Assert.Throws<InvalidDataException>(() => HandoffMessage.DecodeListeners(payload, [7]));
        Assert.Contains("announces 2 sockets but only 1 arrived", error.Message);
    }

    [Fact]
    public void End_of_stream_is_not_a_message()
    {
        var (left, right) = FdChannel.CreatePair();
        using var rightEnd = right;
        left.Dispose();
        Assert.Null(HandoffMessage.Receive(right));
    }
}
