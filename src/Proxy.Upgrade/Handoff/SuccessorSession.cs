namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// The new process's half of one hand-off: Hello out, listeners and the hand-off socket in, Ready
/// out, Draining in; then, from version 2, live connections in (each answered) until MigrationDone.
/// Each step throws <see cref="HandoffException"/> with the reason it failed.
/// </summary>
internal sealed class SuccessorSession(FdChannel channel)
{
    /// <summary>The version the running process answered in (1 until its first frame arrives).</summary>
    public byte Version { get; private set; } = 1;

    /// <summary>The running process migrates its live connections after Draining.</summary>
    public bool CanMigrate => Version >= HandoffMessage.MigrationVersion;

    /// <summary>The counts MigrationDone carried, once <see cref="ReceiveConnection"/> returned null.</summary>
    public (int Migrated, int Failed) MigrationResult { get; private set; }

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
        byte[] ticketKeys = [];
        try
        {
            while (true)
            {
                var (type, payload, fds) = HandoffFrames.Next(channel, WaitingFor, out var version, fdsExpected: true);
                Version = version;
                switch (type)
                {
                    case HandoffMessageType.Listeners:
                        listeners.AddRange(Decode(payload, fds));
                        break;
                    case HandoffMessageType.TicketKeys when fds.Length == 0:
                        ticketKeys = payload;
                        break;
                    case HandoffMessageType.HandoffSocket when fds.Length == 1:
                        var (pid, path) = HandoffPayloads.DecodeHandoffSocket(payload);
                        return new HandoffOffer(listeners, fds[0], path, pid) { TicketKeys = ticketKeys };
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

    /// <summary>Serving now; <paramref name="adoptable"/> (version 2) names the listeners that take live connections.</summary>
    public void SendReady(IReadOnlyList<AdoptableListener>? adoptable = null)
    {
        try
        {
            var payload = CanMigrate && adoptable is { Count: > 0 } ? MigrationPayloads.EncodeAdoptable(adoptable) : [];
            HandoffMessage.Send(channel, HandoffMessageType.Ready, payload, version: Version);
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

    /// <summary>
    /// The next live connection to adopt (this process owns its fd now), or null once the running
    /// process said MigrationDone. Each one must be answered with <see cref="SendAdopted"/> or
    /// <see cref="SendRefused"/> before the next comes.
    /// </summary>
    public MigratingConnection? ReceiveConnection()
    {
        const string WaitingFor = "live connections";
        var (type, payload, fds) = HandoffFrames.Next(channel, WaitingFor, fdsExpected: true);
        try
        {
            switch (type)
            {
                case HandoffMessageType.Connection when fds.Length == 1:
                    var (listener, protocol, pending) = MigrationPayloads.DecodeConnection(payload);
                    return new MigratingConnection(listener, protocol, fds[0], pending);
                case HandoffMessageType.MigrationDone:
                    HandoffFrames.CloseAll(fds);
                    MigrationResult = MigrationPayloads.DecodeDone(payload);
                    return null;
                default:
                    HandoffFrames.CloseAll(fds);
                    throw HandoffFrames.Unexpected(type, WaitingFor);
            }
        }
        catch (InvalidDataException ex)
        {
            if (type == HandoffMessageType.Connection)
            {
                // The other cases closed theirs already; closing twice could hit a reused number.
                HandoffFrames.CloseAll(fds);
            }

            throw new HandoffException(ex.Message);
        }
    }

    public void SendAdopted() => SendAnswer(HandoffMessageType.ConnectionAdopted, []);

    public void SendRefused(string reason) => SendAnswer(HandoffMessageType.ConnectionRefused, HandoffPayloads.EncodeText(reason));

    private void SendAnswer(HandoffMessageType type, byte[] payload)
    {
        try
        {
            HandoffMessage.Send(channel, type, payload, version: Version);
        }
        catch (IOException ex)
        {
            throw new HandoffException($"answering a migrated connection failed: {ex.Message}");
        }
    }

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
