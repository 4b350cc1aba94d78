namespace MeshEdge.Upgrade.Handoff;

/// <summary>
/// The running process's half of one hand-off: Hello in, listeners and the hand-off socket out,
/// Ready in, Draining out; then, from version 2, one Connection out and its answer in per migrated
/// connection, and MigrationDone out. Each step throws <see cref="HandoffException"/> with the reason it failed.
/// </summary>
internal sealed class PredecessorSession(FdChannel channel)
{
    /// <summary>The protocol version both sides speak: the lower of the two highest.</summary>
    public byte Version { get; private set; } = 1;

    public int SuccessorPid { get; private set; }

    /// <summary>Both sides speak version 2: live connections can move; otherwise they drain here.</summary>
    public bool CanMigrate => Version >= HandoffMessage.MigrationVersion;

    public void ReceiveHello()
    {
        var (type, payload, _) = HandoffFrames.Next(channel, "hello");
        if (type != HandoffMessageType.Hello)
        {
            throw HandoffFrames.Unexpected(type, "hello");
        }

        var (highest, pid) = HandoffPayloads.DecodeHello(payload);
        Version = Math.Min(highest, HandoffMessage.ProtocolVersion);
        SuccessorPid = pid;
    }

    /// <summary>
    /// Sends every listener (as many frames as the per-message fd limit needs), the session-ticket
    /// keys (version 3, when there are any), then the hand-off socket.
    /// </summary>
    public void SendListeners(IReadOnlyList<ListenerHandoff> listeners, HandoffListener handoffSocket, int pid, ReadOnlyMemory<byte> ticketKeys = default)
    {
        try
        {
            foreach (var batch in Batch(listeners, FdChannel.MaxFdsPerMessage))
            {
                var fds = batch.SelectMany(listener => listener.Fds).ToArray();
                HandoffMessage.Send(channel, HandoffMessageType.Listeners, HandoffMessage.EncodeListeners(batch), fds, Version);
            }

            if (Version >= HandoffMessage.TicketKeysVersion && !ticketKeys.IsEmpty)
            {
                HandoffMessage.Send(channel, HandoffMessageType.TicketKeys, ticketKeys.Span, version: Version);
            }

            HandoffMessage.Send(channel, HandoffMessageType.HandoffSocket,
                HandoffPayloads.EncodeHandoffSocket(pid, handoffSocket.Path), [handoffSocket.Fd], Version);
        }
        catch (IOException ex)
        {
            throw new HandoffException($"sending the listening sockets failed: {ex.Message}");
        }
    }

    /// <summary>Waits for Ready; returns the successor's listeners that take live connections (none before version 2).</summary>
    public List<AdoptableListener> ReceiveReady()
    {
        var (type, payload, _) = HandoffFrames.Next(channel, "the successor to be ready");
        if (type != HandoffMessageType.Ready)
        {
            throw HandoffFrames.Unexpected(type, "the successor to be ready");
        }

        try
        {
            return CanMigrate ? MigrationPayloads.DecodeAdoptable(payload) : [];
        }
        catch (InvalidDataException ex)
        {
            throw new HandoffException(ex.Message);
        }
    }

    /// <summary>Best effort: the successor serves whether or not it hears this.</summary>
    public void SendDraining(int connections)
    {
        try
        {
            HandoffMessage.Send(channel, HandoffMessageType.Draining, HandoffPayloads.EncodeCount(connections), version: Version);
        }
        catch (IOException)
        {
            // The successor already has the sockets; it only wanted the count for its log.
        }
    }

    public void SendError(string reason) => HandoffFrames.TrySendError(channel, reason);

    /// <summary>
    /// Sends one live connection (its fd attached) and waits for the answer: null when the successor
    /// adopted it, else the reason it refused. The caller still owns its copy of the fd either way.
    /// </summary>
    public string? SendConnection(MigratingConnection connection)
    {
        try
        {
            var payload = MigrationPayloads.EncodeConnection(connection.Listener, connection.Protocol, connection.Pending);
            HandoffMessage.Send(channel, HandoffMessageType.Connection, payload, [connection.Fd], Version);
        }
        catch (IOException ex)
        {
            throw new HandoffException($"sending a connection failed: {ex.Message}");
        }

        const string WaitingFor = "the successor to adopt a connection";
        var (type, reply, _) = HandoffFrames.Next(channel, WaitingFor);
        return type switch
        {
            HandoffMessageType.ConnectionAdopted => null,
            HandoffMessageType.ConnectionRefused => HandoffPayloads.DecodeText(reply),
            _ => throw HandoffFrames.Unexpected(type, WaitingFor),
        };
    }

    /// <summary>Best effort: ends the migration; the successor only logs the counts.</summary>
    public void SendMigrationDone(int migrated, int failed)
    {
        try
        {
            HandoffMessage.Send(channel, HandoffMessageType.MigrationDone, MigrationPayloads.EncodeDone(migrated, failed), version: Version);
        }
        catch (IOException)
        {
            // The successor left; it logged that itself.
        }
    }

    /// <summary>
    /// Splits the listeners into frames of at most <paramref name="maxFds"/> fds. A listener with more
    /// sockets than that is split into several entries of the same name and address, which the
    /// successor joins again (<see cref="ListenerMatcher"/>).
    /// </summary>
    internal static List<List<ListenerHandoff>> Batch(IReadOnlyList<ListenerHandoff> listeners, int maxFds)
    {
        var batches = new List<List<ListenerHandoff>>();
        var current = new List<ListenerHandoff>();
        var room = maxFds;
        foreach (var listener in listeners)
        {
            var offset = 0;
            do
            {
                if (room == 0)
                {
                    batches.Add(current);
                    current = [];
                    room = maxFds;
                }

                var take = Math.Min(room, listener.Fds.Length - offset);
                current.Add(listener with { Fds = listener.Fds[offset..(offset + take)] });
                offset += take;
                room -= take;
            }
            while (offset < listener.Fds.Length);
        }

        if (current.Count > 0)
        {
            batches.Add(current);
        }

        return batches;
    }
}
