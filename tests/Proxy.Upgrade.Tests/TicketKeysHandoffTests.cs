using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Upgrade.Tests;

/// <summary>Version 3 hands the TLS session-ticket keys over with the listeners; an older successor never sees them.</summary>
public sealed class TicketKeysHandoffTests
{
    private static readonly byte[] Keys = [.. Enumerable.Range(0, 160).Select(i => (byte)i)];

    [Fact]
    public void The_successor_receives_the_keys_with_its_offer()
    {
        var offer = HandOff(successorVersion: HandoffMessage.ProtocolVersion, out var version);

        Assert.Equal(HandoffMessage.TicketKeysVersion, version);
        Assert.Equal(Keys, offer.TicketKeys);
    }

    [Fact]
    public void A_version_2_successor_gets_no_keys_and_its_offer_is_whole()
    {
        var offer = HandOff(successorVersion: 2, out var version);

        Assert.Equal(2, version);
        Assert.Empty(offer.TicketKeys);
        Assert.Equal(77, offer.PredecessorPid);
    }

    private static HandoffOffer HandOff(byte successorVersion, out byte version)
    {
        var (oldEnd, newEnd) = FdChannel.CreatePair();
        using var oldChannel = oldEnd;
        using var newChannel = newEnd;
        using var listener = FdChannelTests.Listen();
        var directory = Directory.CreateTempSubdirectory("meshedge-keys-").FullName;
        var handoff = HandoffListener.Bind(Path.Combine(directory, "h.sock"));
        var predecessor = new PredecessorSession(oldChannel);
        var successor = new SuccessorSession(newChannel);

        HandoffMessage.Send(newChannel, HandoffMessageType.Hello, HandoffPayloads.EncodeHello(successorVersion, 4242));
        predecessor.ReceiveHello();
        predecessor.SendListeners([new("inbound", "127.0.0.1:0", [(int)listener.Handle])], handoff, 77, Keys);
        var offer = successor.ReceiveOffer();
        version = predecessor.Version;
        HandoffFrames.CloseAll([.. offer.Listeners.SelectMany(l => l.Fds), offer.HandoffSocketFd]);
        handoff.Dispose();
        Directory.Delete(directory, recursive: true);
        return offer;
    }
}
