using System.Runtime.InteropServices;
using MeshEdge.Native.Runtime;
using MeshEdge.Upgrade.Handoff;

namespace MeshEdge.Native.Hosting;

/// <summary>
/// The hot upgrade's part of the life cycle. As a successor: take the sockets over before binding,
/// and tell the old process to drain once serving. As the running process: serve the hand-off
/// socket, and on a successor's Ready drain exactly as on SIGTERM.
/// </summary>
internal sealed partial class ProxyHost
{
    private volatile UpgradeServer? _upgradeServer;

    /// <summary>
    /// --upgrade: connect to the running instance and receive its sockets. A successor started by
    /// SIGHUP was told where its parent listens and must find it; one started by hand with nobody
    /// to take over from starts normally. Null means start normally.
    /// </summary>
    private Takeover? BeginTakeover(string? ownPath)
    {
        if (!_upgrade)
        {
            return null;
        }

        var parentPath = Environment.GetEnvironmentVariable(SuccessorLauncher.SocketVariable);
        var path = string.IsNullOrEmpty(parentPath) ? ownPath : parentPath;
        var takeover = path is null ? null : Takeover.Begin(path, required: !string.IsNullOrEmpty(parentPath));
        if (takeover is null)
        {
            Log.Info("--upgrade: no running instance to take over; starting normally", ("socket", path));
        }

        return takeover;
    }

    /// <summary>Pairs the handed-over sockets with our listeners; closes those of listeners we no longer have.</summary>
    private static int[][]? Inherit(WorkerSnapshot snapshot, Takeover? takeover)
    {
        if (takeover is null)
        {
            return null;
        }

        var wanted = snapshot.Listeners.Select(l => (l.Name, l.Config.Address.ToString())).ToList();
        var match = ListenerMatcher.Match(wanted, takeover.Offer.Listeners);
        foreach (var dropped in match.Dropped)
        {
            Log.Info("upgrade: listener not in the new config, its sockets close", ("listener", dropped.Name), ("address", dropped.Address));
            HandoffFrames.CloseAll(dropped.Fds);
        }

        return match.AdoptedFds;
    }

    private static void AbandonTakeover(Takeover? takeover, string reason)
    {
        if (takeover is not null)
        {
            takeover.Fail(reason);
            HandoffFrames.CloseAll([takeover.Offer.HandoffSocketFd]);
        }
    }

    /// <summary>
    /// Workers run: claim the service (MAINPID before the old process can exit), then let the old
    /// process drain. Returns the hand-off socket to serve: the inherited one, or a fresh one when
    /// this config names another path.
    /// </summary>
    private static HandoffListener CompleteTakeover(Takeover takeover, ListenerBinding binding, HandoffListener inherited, string? ownPath, WorkerSnapshot snapshot)
    {
        SystemdNotifier.Ready();
        var startMs = takeover.Timings.Lap();
        int? oldConnections = null;
        try
        {
            oldConnections = takeover.Complete(ConnectionAdopter.AdoptableListeners(snapshot));
        }
        catch (HandoffException ex)
        {
            // We hold every socket already; the old process vanishing now changes nothing for clients.
            Log.Warn("upgrade: the old process did not confirm its drain", ("reason", ex.Message));
        }

        Log.Info("upgrade complete",
            ("pid", Environment.ProcessId),
            ("predecessor_pid", takeover.Offer.PredecessorPid),
            ("listeners", binding.Offer.Count),
            ("sockets_adopted", binding.AdoptedSockets),
            ("old_connections", oldConnections),
            ("connect_ms", takeover.ConnectMs),
            ("fd_transfer_ms", takeover.TransferMs),
            ("successor_ready_ms", startMs),
            ("total_ms", takeover.Timings.TotalMs),
            ("migration", takeover.Session.CanMigrate));
        if (ownPath is null || ownPath == inherited.Path)
        {
            return inherited;
        }

        var own = HandoffEndpoint.Open(ownPath);
        if (own is null)
        {
            return inherited;
        }

        inherited.Dispose();
        return own;
    }

    /// <summary>
    /// After Ready, a predecessor that speaks version 2 sends its live connections; they are adopted
    /// on a thread of their own while this process serves. Null when there is nothing to adopt.
    /// </summary>
    private ConnectionAdopter? StartAdopting(Takeover? takeover, WorkerSnapshot snapshot, Worker[] workers)
    {
        // The old process sends connections only for the listeners we named in Ready; with none it
        // just closes the hand-off, which an adopter would report as a migration ended early.
        if (takeover is not { Session.CanMigrate: true } || ConnectionAdopter.AdoptableListeners(snapshot).Count == 0)
        {
            return null;
        }

        // The old process waits for its requests in flight before it moves a connection: up to its drain.
        takeover.AllowSilence(_config.Runtime.DrainTimeout + TimeSpan.FromSeconds(30));
        var adopter = new ConnectionAdopter(takeover, snapshot, workers);
        adopter.Start();
        return adopter;
    }

    private UpgradeServer? StartUpgradeServer(HandoffListener? handoff, ListenerBinding binding, Worker[] workers, ConnectionAdopter? adopter)
    {
        if (handoff is null)
        {
            return null;
        }

        var server = new UpgradeServer(handoff, () => binding.Offer, _arguments, () => workers.Sum(w => w.ConnectionCount), _stopSignal.Set)
        {
            NotBefore = adopter?.Finished,
        };
        _upgradeServer = server;
        server.Start();
        return server;
    }

    /// <summary>SIGHUP is systemd's reload: start a hot upgrade. It must never kill the process (the default action).</summary>
    private void OnHangup(PosixSignalContext context)
    {
        context.Cancel = true;
        if (_upgradeServer is { } server)
        {
            server.RequestUpgrade();
        }
        else
        {
            Log.Warn("SIGHUP ignored: hot upgrade unavailable (no hand-off socket, see the earlier warning)");
        }
    }
}
