using MeshEdge.Interop;

namespace MeshEdge.Upgrade.Handoff;

/// <summary>Receiving with expectations, shared by both ends of a session.</summary>
internal static class HandoffFrames
{
    /// <summary>
    /// The next frame. End of stream, an Error frame and (unless <paramref name="fdsExpected"/>) any fds
    /// become a <see cref="HandoffException"/> or are closed, so nothing leaks on a confused peer.
    /// </summary>
    public static (HandoffMessageType Type, byte[] Payload, int[] Fds) Next(FdChannel channel, string waitingFor, bool fdsExpected = false) =>
        Next(channel, waitingFor, out _, fdsExpected);

    /// <summary>As the other overload, also giving the version the frame came in.</summary>
    public static (HandoffMessageType Type, byte[] Payload, int[] Fds) Next(FdChannel channel, string waitingFor, out byte version, bool fdsExpected = false)
    {
        (HandoffMessageType Type, byte[] Payload, int[] Fds)? frame;
        try
        {
            frame = HandoffMessage.Receive(channel, out version);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            throw new HandoffException($"{ex.Message} (waiting for {waitingFor})");
        }

        if (frame is not { } received)
        {
            throw new HandoffException($"the other process closed the hand-off connection (waiting for {waitingFor})");
        }

        if (received.Type == HandoffMessageType.Error)
        {
            CloseAll(received.Fds);
            throw new HandoffException(HandoffPayloads.DecodeText(received.Payload));
        }

        if (!fdsExpected)
        {
            CloseAll(received.Fds);
        }

        return received;
    }

    public static HandoffException Unexpected(HandoffMessageType type, string waitingFor) =>
        new($"unexpected hand-off message {type} (waiting for {waitingFor})");

    /// <summary>Tells the peer why we give up; it may be gone already, which changes nothing.</summary>
    public static void TrySendError(FdChannel channel, string reason)
    {
        try
        {
            HandoffMessage.Send(channel, HandoffMessageType.Error, HandoffPayloads.EncodeText(reason));
        }
        catch (IOException)
        {
            // The peer left first; its own side reports what happened.
        }
    }

    public static void CloseAll(IEnumerable<int> fds)
    {
        foreach (var fd in fds)
        {
            Libc.Close(fd);
        }
    }
}
