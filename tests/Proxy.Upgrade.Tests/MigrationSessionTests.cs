using System.Net.Sockets;
using System.Text;
using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Upgrade.Tests;

/// <summary>Version 2 of the hand-off: live connections move after Ready; version 1 peers fall back to draining.</summary>
public sealed class MigrationSessionTests
{
    [Fact]
    public void A_live_connection_moves_with_its_unprocessed_bytes_and_stays_connected()
    {
        var (oldEnd, newEnd) = FdChannel.CreatePair();
        using var oldChannel = oldEnd;
        using var newChannel = newEnd;
        var (predecessor, successor) = Negotiate(oldChannel, newChannel, [new AdoptableListener("inbound", "bolt")], out var adoptable);
        using var listener = FdChannelTests.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var served = listener.Accept();

        // The successor answers from another thread, as the adopter does.
        MigratingConnection? received = null;
        var adopter = Task.Run(() =>
        {
            received = successor.ReceiveConnection();
            successor.SendAdopted();
            return successor.ReceiveConnection();
        });
        var refusal = predecessor.SendConnection(new MigratingConnection("inbound", "bolt", (int)served.Handle, Encoding.ASCII.GetBytes("partial")));
        predecessor.SendMigrationDone(1, 0);

        Assert.Null(adopter.Wait(TimeSpan.FromSeconds(10)) ? adopter.Result : throw new TimeoutException());
        Assert.Null(refusal);
        Assert.Equal([new AdoptableListener("inbound", "bolt")], adoptable);
        Assert.True(successor.CanMigrate && predecessor.CanMigrate);
        Assert.Equal((1, 0), successor.MigrationResult);
        Assert.Equal("inbound", received!.Listener);
        Assert.Equal("bolt", received.Protocol);
        Assert.Equal("partial", Encoding.ASCII.GetString(received.Pending));

        // The old copy goes away; the client's connection goes on through the new one.
        served.Close();
        using var moved = FdChannelTests.Adopt(received.Fd);
        client.Send("ping"u8);
        var buffer = new byte[4];
        Assert.Equal(4, moved.Receive(buffer));
        moved.Send(buffer);
        Assert.Equal(4, client.Receive(buffer));
        Assert.Equal("ping", Encoding.ASCII.GetString(buffer));
        Assert.Equal(client.LocalEndPoint, moved.RemoteEndPoint);
    }

    [Fact]
    public void A_refusal_carries_its_reason()
    {
        var (oldEnd, newEnd) = FdChannel.CreatePair();
        using var oldChannel = oldEnd;
        using var newChannel = newEnd;
        var (predecessor, successor) = Negotiate(oldChannel, newChannel, [new AdoptableListener("inbound", "bolt")], out _);
        using var listener = FdChannelTests.Listen();

        var adopter = Task.Run(() =>
        {
            var connection = successor.ReceiveConnection()!;
            HandoffFrames.CloseAll([connection.Fd]);
            successor.SendRefused("no bolt listener named inbound here");
        });
        var refusal = predecessor.SendConnection(new MigratingConnection("inbound", "bolt", (int)listener.Handle, []));

        Assert.True(adopter.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal("no bolt listener named inbound here", refusal);
    }

    [Fact]
    public void A_version_1_successor_gets_no_migration()
    {
        var (oldEnd, newEnd) = FdChannel.CreatePair();
        using var oldChannel = oldEnd;
        using var newChannel = newEnd;
        using var listener = FdChannelTests.Listen();
        var directory = Directory.CreateTempSubdirectory("meshedge-migration-").FullName;
        var handoff = HandoffListener.Bind(Path.Combine(directory, "h.sock"));

        // What a version 1 binary sends: Hello with highest version 1, then an empty Ready.
        HandoffMessage.Send(newChannel, HandoffMessageType.Hello, HandoffPayloads.EncodeHello(1, 9));
        var predecessor = new PredecessorSession(oldChannel);
        predecessor.ReceiveHello();
        predecessor.SendListeners([new("inbound", "127.0.0.1:0", [(int)listener.Handle])], handoff, 77);
        var (_, _, fds) = HandoffMessage.Receive(newChannel, out var listenersVersion)!.Value;
        var (_, _, handoffFds) = HandoffMessage.Receive(newChannel)!.Value;
        HandoffFrames.CloseAll([.. fds, .. handoffFds]);
        HandoffMessage.Send(newChannel, HandoffMessageType.Ready, []);

        Assert.Empty(predecessor.ReceiveReady());
        Assert.False(predecessor.CanMigrate);
        Assert.Equal(1, listenersVersion);
        handoff.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private static (PredecessorSession, SuccessorSession) Negotiate(FdChannel oldChannel, FdChannel newChannel, List<AdoptableListener> offered, out List<AdoptableListener> adoptable)
    {
        var predecessor = new PredecessorSession(oldChannel);
        var successor = new SuccessorSession(newChannel);
        var directory = Directory.CreateTempSubdirectory("meshedge-migration-").FullName;
        var handoff = HandoffListener.Bind(Path.Combine(directory, "h.sock"));
        successor.SendHello(4242);
        predecessor.ReceiveHello();
        predecessor.SendListeners([], handoff, 77);
        var offer = successor.ReceiveOffer();
        HandoffFrames.CloseAll([offer.HandoffSocketFd]);
        successor.SendReady(offered);
        adoptable = predecessor.ReceiveReady();
        predecessor.SendDraining(1);
        successor.ReceiveDraining();
        handoff.Dispose();
        Directory.Delete(directory, recursive: true);
        return (predecessor, successor);
    }
}
