namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// The new process's half of one hand-off: Hello out, listeners and the hand-off socket in, Ready
/// out, Draining in. Each step throws <see cref="HandoffException"/> with the reason it failed.
/// </summary>
internal sealed class SuccessorSession(FdChannel channel)
{
    public void SendHello(int pid)
    {
        try
        {
            // Always framed as version 1, whatever this binary speaks: the oldest peer must read it.
            HandoffMessage.Send(channel, HandoffMessageType.Hello, HandoffPayloads.EncodeHello(HandoffMessage.ProtocolVersion, pid));
        }
        catch (IOException ex)
        {
            throw new HandoffException($"sending hello failed: {ex.Message}");
        }
    }

    /// <summary>Listener frames until the hand-off socket arrives; on failure every fd received is closed.</summary>
    public HandoffOffer ReceiveOffer()
    {
        const string WaitingFor = "the listening sockets";
        var listeners = new List<ListenerHandoff>();
        try
        {
            while (true)
            {
                var (type, payload, fds) = HandoffFrames.Next(channel, WaitingFor, fdsExpected: true);
                switch (type)
                {
                    case HandoffMessageType.Listeners:
                        listeners.AddRange(Decode(payload, fds));
                        break;
                    case HandoffMessageType.HandoffSocket when fds.Length == 1:
                        var (pid, path) = HandoffPayloads.DecodeHandoffSocket(payload);
                        return new HandoffOffer(listeners, fds[0], path, pid);
                    default:
                        HandoffFrames.CloseAll(fds);
                        throw HandoffFrames.Unexpected(type, WaitingFor);
                }
            }
        }
        catch
        {
            HandoffFrames.CloseAll(listeners.SelectMany(listener => listener.Fds));
            throw;
        }
    }

    public void SendReady()
    {
        try
        {
            HandoffMessage.Send(channel, HandoffMessageType.Ready, []);
        }
        catch (IOException ex)
        {
            throw new HandoffException($"telling the running process to drain failed: {ex.Message}");
        }
    }

    /// <summary>How many connections the old process has left to drain.</summary>
    public int ReceiveDraining()
    {
        var (type, payload, _) = HandoffFrames.Next(channel, "the old process to start draining");
        return type == HandoffMessageType.Draining
            ? HandoffPayloads.DecodeCount(payload)
            : throw HandoffFrames.Unexpected(type, "the old process to start draining");
    }

    public void SendError(string reason) => HandoffFrames.TrySendError(channel, reason);

    private static List<ListenerHandoff> Decode(byte[] payload, int[] fds)
    {
        try
        {
            var listeners = HandoffMessage.DecodeListeners(payload, fds);
            HandoffFrames.CloseAll(fds.Skip(listeners.Sum(listener => listener.Fds.Length)));
            return listeners;
        }
        catch (InvalidDataException ex)
        {
            HandoffFrames.CloseAll(fds);
            throw new HandoffException(ex.Message);
        }
    }
}
