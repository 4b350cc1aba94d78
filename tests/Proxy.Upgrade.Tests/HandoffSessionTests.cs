using System.Net.Sockets;
using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Upgrade.Tests;

/// <summary>Both halves of a hand-off over a socketpair, as the two processes run them.</summary>
public sealed class HandoffSessionTests
{
    [Fact]
    public void A_whole_hand_off_moves_listeners_and_the_handoff_socket()
    {
        var (oldEnd, newEnd) = FdChannel.CreatePair();
        using var oldChannel = oldEnd;
        using var newChannel = newEnd;
        using var listener = FdChannelTests.Listen();
        var directory = Directory.CreateTempSubdirectory("meshedge-session-").FullName;
        var handoff = HandoffListener.Bind(Path.Combine(directory, "h.sock"));
        var predecessor = new PredecessorSession(oldChannel);
        var successor = new SuccessorSession(newChannel);

        successor.SendHello(4242);
        predecessor.ReceiveHello();
        predecessor.SendListeners([new("inbound", "127.0.0.1:0", [(int)listener.Handle])], handoff, 77);
        var offer = successor.ReceiveOffer();
        successor.SendReady();
        predecessor.ReceiveReady();
        predecessor.SendDraining(5);

        Assert.Equal(4242, predecessor.SuccessorPid);
        Assert.Equal(HandoffMessage.ProtocolVersion, predecessor.Version);
        Assert.Equal(5, successor.ReceiveDraining());
        Assert.Equal(77, offer.PredecessorPid);
        Assert.Equal(handoff.Path, offer.HandoffSocketPath);
        using var adopted = FdChannelTests.Adopt(Assert.Single(Assert.Single(offer.Listeners).Fds));
        Assert.Equal(listener.LocalEndPoint, adopted.LocalEndPoint);

        // The passed hand-off socket accepts connections made to the path.
        using var inherited = HandoffListener.Adopt(offer.HandoffSocketFd, offer.HandoffSocketPath);
        using var client = FdChannel.Connect(handoff.Path);
        using var accepted = inherited.TryAccept(5000);
        Assert.NotNull(accepted);
        inherited.Release();
        handoff.Dispose();
        Assert.False(File.Exists(handoff.Path), "the last owner removes the socket file");
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void An_error_from_the_successor_is_the_reason_the_predecessor_reports()
    {
        var (oldEnd, newEnd) = FdChannel.CreatePair();
        using var oldChannel = oldEnd;
        using var newChannel = newEnd;

        new SuccessorSession(newChannel).SendError("meshedge.toml:3:11: runtime.workers: expected an integer, got string");
        var error = Assert.Throws<HandoffException>(() => new PredecessorSession(oldChannel).ReceiveHello());

        Assert.Equal("meshedge.toml:3:11: runtime.workers: expected an integer, got string", error.Message);
    }

    [Fact]
    public void A_successor_that_goes_away_before_ready_is_a_failure_with_a_reason()
    {
        var (oldEnd, newEnd) = FdChannel.CreatePair();
        using var oldChannel = oldEnd;
        new SuccessorSession(newEnd).SendHello(1);
        var predecessor = new PredecessorSession(oldChannel);
        predecessor.ReceiveHello();
        newEnd.Dispose();

        var error = Assert.Throws<HandoffException>(predecessor.ReceiveReady);

        Assert.Contains("closed the hand-off connection", error.Message);
    }

    [Fact]
    public void A_silent_peer_times_out()
    {
        var (oldEnd, newEnd) = FdChannel.CreatePair();
        using var oldChannel = oldEnd;
        using var newChannel = newEnd;
        oldChannel.SetReceiveTimeout(TimeSpan.FromMilliseconds(100));

        var error = Assert.Throws<HandoffException>(() => new PredecessorSession(oldChannel).ReceiveHello());

        Assert.Contains("timed out", error.Message);
    }

    [Fact]
    public void A_hello_from_a_newer_binary_settles_on_this_version()
    {
        var (oldEnd, newEnd) = FdChannel.CreatePair();
        using var oldChannel = oldEnd;
        using var newChannel = newEnd;
        HandoffMessage.Send(newChannel, HandoffMessageType.Hello, HandoffPayloads.EncodeHello(9, 5));
        var predecessor = new PredecessorSession(oldChannel);

        predecessor.ReceiveHello();

        Assert.Equal(HandoffMessage.ProtocolVersion, predecessor.Version);
    }
}
